"""docker-compose.yml cannot run here (no Docker engine); check what can be checked: it parses, and it
names the right images, ports, volumes and the environment names the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_neo4j_service() -> None:
    neo = compose()["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5(\.\d+)*-community", neo["image"])
    assert {"7474:7474", "7687:7687"} <= set(neo["ports"])
    assert "neo4j-data:/data" in neo["volumes"]
    assert neo["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD")
    assert "cypher-shell" in " ".join(neo["healthcheck"]["test"])


def test_neo4j_service_runs_graph_data_science_as_the_local_launcher_does() -> None:
    from pipelines.neo4j_server import GDS_UNRESTRICTED

    env = compose()["services"]["neo4j"]["environment"]
    assert yaml.safe_load(env["NEO4J_PLUGINS"]) == ["graph-data-science"]
    assert env["NEO4J_dbms_security_procedures_unrestricted"] == GDS_UNRESTRICTED
    healthy = " ".join(compose()["services"]["neo4j"]["healthcheck"]["test"])
    assert "RETURN gds.version()" in healthy  # healthy only once GDS answers, as analyze --engine auto asks


def test_dashboard_service_uses_the_names_the_code_reads() -> None:
    c = compose()
    dash = c["services"]["dashboard"]
    env = dash["environment"]
    config = (ROOT / "graph" / "config.py").read_text()
    for name in env:
        assert f'"{name}"' in config, f"{name} is not read by graph/config.py"
    assert env["TIEGRAPH_STORE"] == "neo4j" and env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert dash["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert any(p.endswith(":8050") for p in dash["ports"])
    assert set(c["volumes"]) == {"neo4j-data", "tiegraph-home"}


def test_dockerfile_serves_the_wsgi_entry_point() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "dashboards.app:server" in text and "FROM python:3.11" in text
