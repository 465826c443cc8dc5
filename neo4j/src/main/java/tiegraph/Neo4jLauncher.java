package tiegraph;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs a Neo4j Community DBMS with a Bolt connector until SIGTERM.
 *
 * <p>Usage: {@code Neo4jLauncher HOME [HOST] [PORT]}; the password of user {@code neo4j}
 * is read from the environment variable {@code NEO4J_PASSWORD} and set on first start.
 *
 * <p>Plugins: the system property {@code tiegraph.plugins} names the plugin folder
 * ({@code server.directories.plugins}) whose jars' procedures are loaded, and
 * {@code tiegraph.unrestricted} the comma-separated procedures allowed full access
 * ({@code dbms.security.procedures.unrestricted}, e.g. {@code gds.*}). Extensions such as Graph
 * Data Science's must also be on the classpath, where Neo4j's ServiceLoader finds them.
 *
 * <p>Memory: the heap is the JVM's ({@code -Xmx}); {@code tiegraph.pagecache} is the page cache
 * ({@code server.memory.pagecache.size}, e.g. {@code 1536m}; 256 MiB when unset).
 */
public final class Neo4jLauncher {

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: Neo4jLauncher HOME [HOST] [PORT]  (env NEO4J_PASSWORD)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 7687;
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("FAILED: NEO4J_PASSWORD is not set");
            System.exit(2);
        }
        try {
            run(home, host, port, password);
        } catch (Throwable e) {
            // Neo4j's non-daemon threads would keep the JVM alive: exit explicitly.
            e.printStackTrace();
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println("FAILED: " + root);
            System.exit(1);
        }
    }

    private static void run(Path home, String host, int port, String password) throws InterruptedException {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        String plugins = System.getProperty("tiegraph.plugins", "");
        if (!plugins.isEmpty()) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(plugins).toAbsolutePath());
        }
        String unrestricted = System.getProperty("tiegraph.unrestricted", "");
        if (!unrestricted.isEmpty()) {
            List<String> names = Arrays.stream(unrestricted.split(",")).map(String::trim).toList();
            builder.setConfig(GraphDatabaseSettings.procedure_unrestricted, names);
        }
        DatabaseManagementService service = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache())
                // Grow transaction logs on demand instead of 2 x 256 MiB up front.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Bolt's Netty loops otherwise idle 2 x 5 s on shutdown (SIGTERM).
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        setInitialPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        System.out.println("READY bolt://" + host + ":" + port);
        System.out.flush();
        stopped.await();
    }

    /** The page cache size of system property {@code tiegraph.pagecache} ("1536m", "2g"), 256 MiB when unset. */
    private static long pagecache() {
        String size = System.getProperty("tiegraph.pagecache", "");
        return size.isEmpty() ? ByteUnit.mebiBytes(256) : ByteUnit.parse(size);
    }

    /** Sets the password of user neo4j while it still has to be changed (first start). */
    private static void setInitialPassword(GraphDatabaseService system, String password) {
        boolean required = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                        + "RETURN passwordChangeRequired",
                Map.of(),
                result -> result.hasNext() && (Boolean) result.next().get("passwordChangeRequired"));
        if (required) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
    }
}
