"""Every Cypher statement tiegraph runs.

Labels and relationship types come from the fixed registry
:data:`graph.model.KINDS` (never from input); every value travels as a
``$parameter``.  Writes are ``UNWIND $rows`` batches: one read of which ids
already exist (:data:`EXISTING`, through the id constraint's index), then
``CREATE`` for the new records and an update by id for the stored ones, all in
one transaction, so a retried transaction or a re-run ingest never duplicates
anything (and the id constraint refuses a duplicate outright).
"""

from __future__ import annotations

from graph.model import KINDS, Kind

__all__ = [
    "COUNT",
    "DELETE_BY_ID",
    "DELETE_STALE",
    "EXISTING",
    "GDS_DROP",
    "GDS_MUTATE",
    "GDS_PROJECT_TIES",
    "GDS_STREAM_RESULTS",
    "GDS_VERSION",
    "IDS_OF_FILE",
    "MERGE",
    "MOVE",
    "NEW",
    "PING",
    "READ_ALL",
    "READ_BY_ID",
    "READ_WHERE",
    "read_columns",
    "SCHEMA",
    "UPDATE",
    "WIPE_BATCH",
]

PING = "RETURN 1 AS ok"

WIPE_BATCH = "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n"


def _merge_node(k: Kind) -> str:
    return f"""UNWIND $rows AS row
MERGE (n:{k.label} {{id: row.id}})
SET n += row
RETURN count(n) AS n"""


def _merge_rel(k: Kind) -> str:
    (sf, sl), (ef, el) = k.endpoints
    # A relationship whose endpoints changed (an edited input row) is moved, not duplicated.
    return f"""UNWIND $rows AS row
OPTIONAL MATCH (:{sl})-[old:{k.label} {{id: row.id}}]->(:{el})
WITH row, old
CALL (row, old) {{
  WITH row, old WHERE old IS NOT NULL AND (startNode(old).id <> row.{sf} OR endNode(old).id <> row.{ef})
  DELETE old
}}
WITH row
MATCH (s:{sl} {{id: row.{sf}}})
MATCH (e:{el} {{id: row.{ef}}})
MERGE (s)-[r:{k.label} {{id: row.id}}]->(e)
SET r += row
RETURN count(r) AS n"""


def _existing(k: Kind) -> str:
    if k.is_relationship:
        (_, sl), (_, el) = k.endpoints
        return f"""UNWIND $ids AS id
MATCH (s:{sl})-[x:{k.label} {{id: id}}]->(e:{el})
RETURN id, s.id AS start, e.id AS end"""
    return f"""UNWIND $ids AS id
MATCH (x:{k.label} {{id: id}})
RETURN id"""


def _new(k: Kind) -> str:
    # Properties in the CREATE pattern, not SET r = row: the planner puts an Eager before a SET from a map
    # (measured: 2,700 vs 4,000 relationships/s).  A null value sets no property, as SET does.
    props = ", ".join(f"{f}: row.{f}" for f in k.fields)
    if k.is_relationship:
        (sf, sl), (ef, el) = k.endpoints
        return f"""UNWIND $rows AS row
MATCH (s:{sl} {{id: row.{sf}}})
MATCH (e:{el} {{id: row.{ef}}})
CREATE (s)-[r:{k.label} {{{props}}}]->(e)
RETURN count(r) AS n"""
    return f"""UNWIND $rows AS row
CREATE (n:{k.label} {{{props}}})
RETURN count(n) AS n"""


def _update(k: Kind) -> str:
    # Each property set by name, not SET x += row: no Eager in the plan (157k ties of a 10k-person analyze
    # written again: 4.4-5.3 -> 3.8-4.4 server CPU s).  A null value removes the property, as += does.
    target = f"()-[x:{k.label} {{id: row.id}}]->()" if k.is_relationship else f"(x:{k.label} {{id: row.id}})"
    sets = ", ".join(f"x.{f} = row.{f}" for f in k.fields if f != "id")
    return f"""UNWIND $rows AS row
MATCH {target}
SET {sets}
RETURN count(x) AS n"""


def _move(k: Kind) -> str:
    return f"""UNWIND $ids AS id
MATCH ()-[x:{k.label} {{id: id}}]->()
DELETE x
RETURN count(*) AS n"""


def _pattern(k: Kind) -> str:
    if k.is_relationship:
        (_, sl), (_, el) = k.endpoints
        return f"(:{sl})-[x:{k.label}]->(:{el})"
    return f"(x:{k.label})"


def _scan(k: Kind) -> str:
    # A relationship by its type alone: the store writes each type between its endpoints' labels only.
    return f"()-[x:{k.label}]->()" if k.is_relationship else f"(x:{k.label})"


def _schema(k: Kind) -> list[str]:
    target = f"()-[x:{k.label}]-()" if k.is_relationship else f"(x:{k.label})"
    stmts = [f"CREATE CONSTRAINT {k.name}_id IF NOT EXISTS FOR {target} REQUIRE x.id IS UNIQUE"]
    if k.name == "person":
        stmts += [
            f"CREATE INDEX person_{f} IF NOT EXISTS FOR (x:Person) ON (x.{f})" for f in ("email", "program_id", "name")
        ]
    if k.name == "mention":
        stmts.append("CREATE INDEX mention_person IF NOT EXISTS FOR (x:Mention) ON (x.person)")
    if "computed_at" in k.fields:
        stmts.append(f"CREATE INDEX {k.name}_computed_at IF NOT EXISTS FOR {target} ON (x.computed_at)")
    return stmts


MERGE = {k.name: _merge_rel(k) if k.is_relationship else _merge_node(k) for k in KINDS.values()}
"""Upsert a batch ``$rows`` of one kind in one statement; a relationship whose endpoints changed is moved
(the batched MERGE that :data:`EXISTING` + :data:`NEW` + :data:`UPDATE` replaced, kept as the bench's baseline)."""

EXISTING = {k.name: _existing(k) for k in KINDS.values()}
"""Which of ``$ids`` are stored (with a relationship's endpoint ids): the anti-join before :data:`NEW`."""

NEW = {k.name: _new(k) for k in KINDS.values()}
"""CREATE a batch ``$rows`` known to be new (a relationship between endpoints that must exist)."""

UPDATE = {k.name: _update(k) for k in KINDS.values()}
"""Update stored records ``$rows`` in place by id (a relationship whose endpoints did not change)."""

MOVE = {k.name: _move(k) for k in KINDS.values() if k.is_relationship}
"""Delete the stored relationships ``$ids`` whose endpoints changed; :data:`NEW` writes them again."""

READ_ALL = {k.name: f"MATCH {_pattern(k)} RETURN properties(x) AS p" for k in KINDS.values()}
"""Every record of one kind as a property map."""


def _read_where(k: Kind, field: str) -> str:
    if k.is_relationship:
        (sf, sl), (ef, el) = k.endpoints
        if field in (sf, ef):  # from the endpoint's id index, then its relationships: not a scan of every one
            start, end = (f"(:{sl} {{id: v}})", f"(:{el})") if field == sf else (f"(:{sl})", f"(:{el} {{id: v}})")
            return f"UNWIND $values AS v MATCH {start}-[x:{k.label}]->{end} RETURN properties(x) AS p"
    return f"UNWIND $values AS v MATCH {_pattern(k)} WHERE x.`{field}` = v RETURN properties(x) AS p"


READ_WHERE = {k.name: {f: _read_where(k, f) for f in k.fields} for k in KINDS.values()}
"""Records whose field equals one of ``$values``, by kind and field: the property named in the statement, so
a property index serves it (a person by e-mail, a mention by person), and a relationship by an endpoint
found from that endpoint (measured: the interactions of one person among the 10k program's 77k, 83-90 ms
by ``x[$field]``, which no index serves, 8.4 ms from the person)."""

READ_BY_ID = {
    k.name: f"UNWIND $values AS v MATCH {_pattern(k)} WHERE x.id = v RETURN properties(x) AS p" for k in KINDS.values()
}
"""Records by id, through the uniqueness constraint's index."""

IDS_OF_FILE = {k.name: f"MATCH {_scan(k)} WHERE x.file = $file RETURN collect(x.id) AS ids" for k in KINDS.values()}
"""The ids of the records whose ``file`` provenance is ``$file``, as one list."""

COUNT = {k.name: f"MATCH {_pattern(k)} RETURN count(x) AS n" for k in KINDS.values()}

DELETE_BY_ID = {
    k.name: f"UNWIND $ids AS id MATCH {_pattern(k)} WHERE x.id = id "
    + ("DELETE x" if k.is_relationship else "DETACH DELETE x")
    + " RETURN count(*) AS n"
    for k in KINDS.values()
}

DELETE_STALE = {
    k.name: tuple(
        f"MATCH {_scan(k)} WHERE x.computed_at {op} $computed_at WITH x LIMIT $limit "
        + ("DELETE x" if k.is_relationship else "DETACH DELETE x")
        + " RETURN count(*) AS n"
        for op in ("<", ">")
    )
    for k in KINDS.values()
    if "computed_at" in k.fields
}
"""Delete, a batch of ``$limit`` at a time, computed records of another run: those stamped before ``$computed_at``,
then those after.  Two range seeks of the ``computed_at`` index, where one ``<>`` (not an index predicate) scanned
every record of the kind at each batch (18 s at 2M ties with nothing to delete)."""


def read_columns(k: Kind, columns: list[str]) -> str:
    """A page of records of ``k``: those whose id follows ``$after``, ``$limit`` of them in id order, as one list.

    ``rows`` is a list of ``[x.c, ...]`` for the properties ``columns``
    (fields of ``k``, ``id`` first), named, not ``properties(x)``.  The page
    is a range seek of the id constraint's index, which gives the order
    without a sort; one record per page, not one per row (the driver builds
    each record in Python: 1M interactions 19.4 -> 3.7 client CPU s).
    """
    if not columns or columns[0] != "id" or any(c not in k.fields for c in columns):
        raise ValueError(f"columns of {k.name} must be its fields, id first: {columns}")
    values = ", ".join(f"x.{c}" for c in columns)
    return f"MATCH {_scan(k)} WHERE x.id > $after WITH x ORDER BY x.id LIMIT $limit RETURN collect([{values}]) AS rows"


SCHEMA = [s for k in KINDS.values() for s in _schema(k)]
"""Uniqueness constraints on every ``id`` and lookup indexes, created on connect."""

# -- Neo4j Graph Data Science (graph.store.gds): read-only calls on an in-memory projection ---------------

GDS_VERSION = "RETURN gds.version() AS version"

GDS_PROJECT_TIES = """MATCH (p:Person)
OPTIONAL MATCH (p)-[tie:TIE]->(q:Person)
WITH p, CASE WHEN tie.computed_at = $computed_at THEN tie END AS t, q
WITH p, CASE WHEN t IS NULL THEN null ELSE q END AS q, t, -log(t.strength) AS d
WITH gds.graph.project($graph, p, q, {
  relationshipProperties: CASE WHEN t IS NULL THEN null
    ELSE {strength: t.strength, distance: CASE WHEN d < $min_distance THEN $min_distance ELSE d END} END
}, {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships"""
"""Project every person and this run's ties (``$computed_at``) as the undirected graph ``$graph``, with
``strength`` and ``distance`` = max(-ln strength, ``$min_distance``) on each tie.  The run is picked in a
CASE, not a WHERE: a WHERE lets the planner scan the ``computed_at`` index once per person (measured:
10 s instead of 0.7 s for 1,033 people, 10k ties)."""

GDS_MUTATE = {
    "degree": "CALL gds.degree.mutate($graph, $config) YIELD nodePropertiesWritten RETURN nodePropertiesWritten AS n",
    "pagerank": "CALL gds.pageRank.mutate($graph, $config) YIELD nodePropertiesWritten RETURN nodePropertiesWritten AS n",
    "betweenness": "CALL gds.betweenness.mutate($graph, $config) YIELD nodePropertiesWritten "
    "RETURN nodePropertiesWritten AS n",
    "louvain": "CALL gds.louvain.mutate($graph, $config) YIELD nodePropertiesWritten RETURN nodePropertiesWritten AS n",
    "wcc": "CALL gds.wcc.mutate($graph, $config) YIELD nodePropertiesWritten RETURN nodePropertiesWritten AS n",
}
"""One algorithm each, its result kept in the projection as the node property ``$config.mutateProperty``."""

GDS_STREAM_RESULTS = """CALL gds.graph.nodeProperties.stream($graph, $properties)
YIELD nodeId, nodeProperty, propertyValue
WITH nodeId, collect(nodeProperty) AS names, collect(propertyValue) AS values
RETURN gds.util.asNode(nodeId).id AS person, names, values"""
"""The results, one row per person: property names and their values (only these cross the wire)."""

GDS_DROP = "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName"

GDS_WARM_UP = """UNWIND range(0, 99) AS i
WITH gds.graph.project($graph, i, (i + 1) % 100, {relationshipProperties: {strength: 0.5, distance: 0.7}},
  {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships"""
"""A ring of 100 numbered nodes that exist only in GDS's catalog (no database node is read)."""
