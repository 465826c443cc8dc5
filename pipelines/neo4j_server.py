"""A local Neo4j 5 Community server, run as a detached Java process.

The server is the small Maven project in ``neo4j/`` of the repository: an
embedded ``DatabaseManagementService`` with a Bolt connector and
authentication (``tiegraph.Neo4jLauncher``), assembled from Maven Central.
:func:`build` compiles it once, :func:`start` launches it for a home folder
(data in ``home/data``, Neo4j's logs in ``home/logs``, the process output in
``home/neo4j.log``, its pid in ``home/neo4j.pid``), :func:`status` and
:func:`stop` find it again through that pid file from any process.

The password of user ``neo4j`` is handed over in the environment and set on
the first start of a home; it never appears on a command line or in a log.

With ``gds=True`` the server runs Neo4j Graph Data Science (the open, GPLv3
edition, which Maven assembles from Maven Central into ``neo4j/target/gds``;
it is never shipped with tiegraph): those jars go on the launcher's classpath,
where Neo4j finds GDS's extension factory, the same folder is the server's
plugin folder (``server.directories.plugins``), from which its procedures are
loaded, and ``gds.*`` procedures are unrestricted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from graph.config import Settings
from graph.errors import InputError, StoreError

__all__ = ["Memory", "ServerInfo", "build", "memory", "start", "status", "stop"]

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
LAUNCHER = "tiegraph.Neo4jLauncher"
GDS_UNRESTRICTED = "gds.*"
JVM_OPTS: tuple[str, ...] = (
    "-XX:+ExitOnOutOfMemoryError",
    # Without these Neo4j falls back to slower page-cache and log-file access on Java 17.
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)
MIB = 1 << 20
GIB = 1 << 30
HEAP_RANGE = (1 * GIB, 8 * GIB)
PAGECACHE_RANGE = (256 * MIB, 16 * GIB)
MEMORY_SHARE = 16
"""Heap and page cache are each 1/16 of the machine's memory, within these ranges (a laptop or shared
machine keeps most of its memory for the ingest and analytics beside the server)."""
BUILD_TIMEOUT_S = 1800.0
STOP_TIMEOUT_S = 30.0
MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length
_READY = b"READY bolt://"
# Bolt handshake: magic, then four proposals (5.0-5.8, 4.4, none, none).
_BOLT_HELLO = bytes.fromhex("6060b01700080805000004040000000000000000")

# Processes started by this interpreter, so that they are reaped, not left as zombies.
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class ServerInfo:
    """A running local server.

    Attributes
    ----------
    uri : str
        Bolt URI, e.g. ``bolt://127.0.0.1:7687``.
    pid : int
        Process id of the Java process.
    home : Path
        Its home folder (absolute).
    """

    uri: str
    pid: int
    home: Path


@dataclass(frozen=True)
class Memory:
    """What the server is given, as Neo4j size strings.

    Attributes
    ----------
    heap : str
        Java heap (``-Xmx``), e.g. ``1536m``.
    pagecache : str
        Page cache (``server.memory.pagecache.size``).
    """

    heap: str
    pagecache: str


def memory(total_bytes: int | None = None) -> Memory:
    """Heap and page cache for this machine: ``TIEGRAPH_NEO4J_HEAP`` and ``TIEGRAPH_NEO4J_PAGECACHE`` if set.

    Otherwise each is 1/16 of the machine's memory, the heap within 1-8 GiB and
    the page cache within 256 MiB-16 GiB (24 GiB of memory: 1536m each).

    Parameters
    ----------
    total_bytes : int, optional
        The machine's memory; by default ``MemTotal`` of ``/proc/meminfo`` (or
        the physical pages the OS reports).

    Returns
    -------
    Memory
        The sizes, in whole MiB unless given otherwise.

    Raises
    ------
    ConfigError
        If a variable is not a size (``2g``, ``1536m``).

    Examples
    --------
    >>> memory(24 * GIB)
    Memory(heap='1536m', pagecache='1536m')
    >>> memory(4 * GIB)
    Memory(heap='1024m', pagecache='256m')
    """
    settings = Settings.from_env()
    total = total_bytes if total_bytes is not None else _machine_memory()
    share = total // MEMORY_SHARE

    def size(lo_hi: tuple[int, int]) -> str:
        return f"{min(max(share, lo_hi[0]), lo_hi[1]) // MIB}m"

    return Memory(settings.neo4j_heap or size(HEAP_RANGE), settings.neo4j_pagecache or size(PAGECACHE_RANGE))


def _machine_memory() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def build(project_root: Path | None = None) -> Path:
    """Compile the launcher and copy its dependencies (and GDS's), unless already done.

    Parameters
    ----------
    project_root : Path, optional
        Repository root holding ``neo4j/pom.xml``; by default the one this
        module lives in.

    Returns
    -------
    Path
        The ``neo4j`` project folder, with ``target/classes``, ``target/lib``
        (Neo4j) and ``target/gds`` (Graph Data Science and what only it needs).

    Raises
    ------
    StoreError
        If Maven is missing or the build fails (with the tail of its output).
    """
    root = project_root if project_root is not None else Path(__file__).resolve().parents[1]
    folder = root / "neo4j"
    if _is_built(folder):
        return folder
    if not (folder / "pom.xml").is_file():
        raise StoreError(f"no Neo4j launcher project at {folder}")
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StoreError("Maven (mvn) is needed to build the local Neo4j server but is not on PATH")
    cmd = [mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(folder / "pom.xml"), "package"]
    log.info("building the local Neo4j server (first time only) in %s", folder)
    started = time.monotonic()
    try:
        done = subprocess.run(
            cmd,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"Maven build of {folder} took longer than {BUILD_TIMEOUT_S:.0f} s") from exc
    if done.returncode != 0 or not _is_built(folder):
        output = _tail((done.stdout or "") + (done.stderr or ""), 40)
        raise StoreError(f"Maven build of {folder} failed (exit code {done.returncode}):\n{output}")
    log.info("built the local Neo4j server in %.1f s", time.monotonic() - started)
    return folder


def start(home: Path, *, port: int = 7687, password: str, wait_s: float = 120, gds: bool = False) -> ServerInfo:
    """Start the server for ``home``, or return the one already running.

    Parameters
    ----------
    home : Path
        Home folder of the server; created if absent.
    port : int, default 7687
        Bolt port on 127.0.0.1.
    password : str
        Password of user ``neo4j``; set on the first start of ``home``.
    wait_s : float, default 120
        How long to wait for Bolt to accept the credentials.
    gds : bool, default False
        Run Neo4j Graph Data Science in the server (``RETURN gds.version()``
        answers); a server already running is returned as it is.

    Returns
    -------
    ServerInfo
        The running server.

    Raises
    ------
    InputError
        If the password is shorter than 8 characters (Neo4j's minimum).
    StoreError
        If the build fails, the port is taken, the server exits or does not
        answer in time, or it rejects the password (a home keeps the password
        of its first start); the message ends with the last lines of its log.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the local Neo4j server needs a password of at least {MIN_PASSWORD_LENGTH} characters (NEO4J_PASSWORD)"
        )
    home = home.expanduser().resolve()
    uri = f"bolt://{HOST}:{port}"
    pid = _server_pid(home)
    if pid is not None:
        running_port = _server_port(pid)
        if running_port not in (None, port):
            raise StoreError(
                f"the local Neo4j server for {home} already runs on port {running_port} (pid {pid}); stop it first"
            )
        log.info("a local Neo4j server for %s is already running (pid %d)", home, pid)
        _wait_ready(home, pid, uri, password, wait_s, offset=None)
        return ServerInfo(uri, pid, home)
    if _port_taken(port):
        raise StoreError(f"port {port} on {HOST} is already in use; choose another Bolt port")

    folder = build()
    home.mkdir(parents=True, exist_ok=True)
    jars = [folder / "target" / "classes", folder / "target" / "lib" / "*"]
    props: list[str] = []
    if gds:
        plugins = folder / "target" / "gds"
        jars.append(plugins / "*")
        props = [f"-Dtiegraph.plugins={plugins}", f"-Dtiegraph.unrestricted={GDS_UNRESTRICTED}"]
    classpath = os.pathsep.join(map(str, jars))
    mem = memory()
    sizes = [f"-Xmx{mem.heap}", f"-Dtiegraph.pagecache={mem.pagecache}"]
    cmd = [java(), *sizes, *JVM_OPTS, *props, "-cp", classpath, LAUNCHER, str(home), HOST, str(port)]
    env = {**os.environ, "NEO4J_PASSWORD": password}
    log_path = home / "neo4j.log"
    with log_path.open("ab") as out:
        offset = out.tell()
        proc = subprocess.Popen(
            cmd,
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _children[proc.pid] = proc
    _pidfile(home).write_text(f"{proc.pid}\n", encoding="utf-8")
    log.info(
        "started the local Neo4j server for %s (pid %d, %s, heap %s, page cache %s)",
        home,
        proc.pid,
        uri,
        mem.heap,
        mem.pagecache,
    )
    try:
        _wait_ready(home, proc.pid, uri, password, wait_s, offset=offset)
    except StoreError:
        stop(home)
        raise
    return ServerInfo(uri, proc.pid, home)


def stop(home: Path) -> bool:
    """Stop the server of ``home``: SIGTERM, then SIGKILL after 30 s.

    Parameters
    ----------
    home : Path
        Home folder the server was started with.

    Returns
    -------
    bool
        Whether a running server was stopped.
    """
    home = home.expanduser().resolve()
    pid = _server_pid(home)
    if pid is None:
        _pidfile(home).unlink(missing_ok=True)
        return False
    log.info("stopping the local Neo4j server for %s (pid %d)", home, pid)
    _signal(pid, signal.SIGTERM)
    if not _wait_gone(pid, STOP_TIMEOUT_S):
        log.warning("Neo4j (pid %d) did not stop within %.0f s; killing it", pid, STOP_TIMEOUT_S)
        _signal(pid, signal.SIGKILL)
        _wait_gone(pid, 10.0)
    _children.pop(pid, None)
    _pidfile(home).unlink(missing_ok=True)
    return True


def status(home: Path, *, port: int = 7687) -> ServerInfo | None:
    """The running server of ``home``, if its process lives and Bolt answers.

    Parameters
    ----------
    home : Path
        Home folder the server was started with.
    port : int, default 7687
        Bolt port it was started with.

    Returns
    -------
    ServerInfo or None
        The server, or None if it is not running or not (yet) answering.
    """
    home = home.expanduser().resolve()
    pid = _server_pid(home)
    if pid is None or _server_port(pid) not in (None, port) or not _bolt_answers(port):
        return None
    return ServerInfo(f"bolt://{HOST}:{port}", pid, home)


def _wait_ready(home: Path, pid: int, uri: str, password: str, wait_s: float, *, offset: int | None) -> None:
    """Wait until ``pid`` printed READY (after ``offset`` of its log) and Bolt accepts ``password``."""
    log_path = home / "neo4j.log"
    deadline = time.monotonic() + wait_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not _alive(pid):
            failed = [
                line
                for line in _read_from(log_path, offset or 0).decode(errors="replace").splitlines()
                if line.startswith("FAILED: ")
            ]
            reason = f": {failed[-1].removeprefix('FAILED: ')}" if failed else ""
            raise StoreError(f"the local Neo4j server (pid {pid}) exited during startup{reason}\n{_log_tail(home)}")
        if offset is None or _READY in _read_from(log_path, offset):
            try:
                with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password), connection_timeout=5.0) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as exc:
                raise StoreError(
                    f"the local Neo4j server at {uri} rejects the password; {home} keeps the password "
                    "of its first start"
                ) from exc
            except (DriverError, Neo4jError, OSError) as exc:
                last = exc
        time.sleep(0.25)
    reason = f" (last error: {type(last).__name__})" if last is not None else ""
    raise StoreError(f"the local Neo4j server at {uri} did not answer within {wait_s:.0f} s{reason}\n{_log_tail(home)}")


def _is_built(folder: Path) -> bool:
    cls = folder / "target" / "classes" / "tiegraph" / "Neo4jLauncher.class"
    lib = folder / "target" / "lib"
    gds = folder / "target" / "gds"
    if not cls.is_file() or not lib.is_dir() or not any(lib.glob("neo4j-*.jar")):
        return False
    if not any(gds.glob("opengds-extension-*.jar")):
        return False
    sources = [folder / "pom.xml", *(folder / "src").rglob("*.java")]
    built = cls.stat().st_mtime
    return all(src.stat().st_mtime <= built for src in sources if src.is_file())


def java() -> str:
    """The ``java`` of ``JAVA_HOME``, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise StoreError("Java 17 or newer is needed for the local Neo4j server but `java` is not on PATH")
    return java


def _pidfile(home: Path) -> Path:
    return home / "neo4j.pid"


def _server_pid(home: Path) -> int | None:
    """The pid in ``home``'s pid file if that process lives and is the launcher for ``home``."""
    try:
        pid = int(_pidfile(home).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    args = _cmdline(pid)
    if not args:
        return pid  # no /proc: trust the pid file
    return pid if LAUNCHER in args and str(home) in args else None


def _server_port(pid: int) -> int | None:
    """The Bolt port the launcher ``pid`` was given (its last argument), if /proc tells."""
    args = _cmdline(pid)
    return int(args[-1]) if args and args[-1].isdigit() else None


def _cmdline(pid: int) -> list[str]:
    """Arguments of process ``pid`` from /proc, or [] where that cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [os.fsdecode(arg) for arg in raw.split(b"\0") if arg]


def _alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie whose parent has not reaped it yet counts as gone
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while _alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _port_taken(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def _bolt_answers(port: int, timeout_s: float = 2.0) -> bool:
    """Whether a Bolt server answers the handshake on ``port`` (no credentials used)."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout_s) as sock:
            sock.sendall(_BOLT_HELLO)
            reply = b""
            while len(reply) < 4:
                chunk = sock.recv(4 - len(reply))
                if not chunk:
                    return False
                reply += chunk
    except OSError:
        return False
    return True


def _read_from(path: Path, offset: int) -> bytes:
    try:
        with path.open("rb") as f:
            f.seek(offset)
            return f.read()
    except OSError:
        return b""


def _log_tail(home: Path, lines: int = 30) -> str:
    path = home / "neo4j.log"
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 16384))
            text = f.read().decode("utf-8", errors="replace")
    except OSError:
        return f"(no log at {path})"
    return f"last lines of {path} (see also {home / 'logs' / 'debug.log'}):\n{_tail(text, lines)}"


def _tail(text: str, lines: int) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
