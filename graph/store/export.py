"""Export and import the whole graph as JSON lines: backup, and the way from one store to another.

One file per record kind (``person.jsonl``, ``interaction.jsonl`` …) plus
``manifest.json`` (format version, counts).  Records are written sorted by
id with sorted keys, so the same graph always gives byte-identical files,
whichever store it came from: embedded -> files -> Neo4j -> files round-trips
to the same bytes.  Provenance fields travel with every record.  User
accounts (password hashes) are never exported.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from graph.errors import InputError
from graph.model import KINDS
from graph.store.base import Store, plain_value

__all__ = ["FORMAT_VERSION", "PRIVATE_KINDS", "export_graph", "import_graph"]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
PRIVATE_KINDS = frozenset({"user"})
"""Kinds never exported: credentials stay where they are."""


def export_graph(store: Store, folder: Path) -> dict[str, int]:
    """Write every record kind to ``folder/<kind>.jsonl``; return the counts."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in KINDS:
        if name in PRIVATE_KINDS:
            continue
        frame = store.frame(name)
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
            for row in frame.to_dict("records"):
                fh.write(
                    json.dumps({k: plain_value(v) for k, v in row.items()}, sort_keys=True, ensure_ascii=False) + "\n"
                )
        counts[name] = len(frame)
    manifest = {"format": "tiegraph-jsonl", "version": FORMAT_VERSION, "counts": counts}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log.info("exported %d records to %s", sum(counts.values()), folder)
    return counts


def import_graph(store: Store, folder: Path, *, batch: int = 5000) -> dict[str, int]:
    """Read an export into a store (upserts: importing twice changes nothing).

    Raises
    ------
    InputError
        The folder is not a tiegraph export, or a line is not a valid record.
    """
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise InputError(f"{folder}: no manifest.json; not a tiegraph export")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != "tiegraph-jsonl" or manifest.get("version") != FORMAT_VERSION:
        raise InputError(
            f"{manifest_path}: unsupported export format {manifest.get('format')!r} v{manifest.get('version')}"
        )
    counts = {}
    for name, kind in KINDS.items():  # nodes come first in KINDS, so endpoints exist
        path = folder / f"{name}.jsonl"
        if name in PRIVATE_KINDS or not path.exists():
            continue
        records, n = [], 0
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                try:
                    records.append(kind.from_row(json.loads(line)))
                except (json.JSONDecodeError, TypeError) as exc:
                    raise InputError(f"{path.name} line {lineno}: not a {name} record ({exc})") from exc
                if len(records) >= batch:
                    n += store.upsert(name, records)
                    records = []
        n += store.upsert(name, records)
        counts[name] = n
    return counts
