"""Quarantine files: every rejected row with file, row, field, value and reason."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from graph.tables import Rejection

__all__ = ["quarantine_path", "write_quarantine"]

log = logging.getLogger(__name__)

COLUMNS = ("file", "row", "field", "value", "reason", "message")


def quarantine_path(folder: Path, source: Path) -> Path:
    """``<folder>/<source file name>.quarantine.csv``."""
    return folder / f"{source.name}.quarantine.csv"


def write_quarantine(folder: Path, source: Path, rejections: list[Rejection]) -> Path | None:
    """Write (replace) the quarantine file of one source; remove it when nothing was rejected.

    Replacing rather than appending keeps a re-run from duplicating rows.
    """
    path = quarantine_path(folder, source)
    if not rejections:
        path.unlink(missing_ok=True)
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for r in rejections:
            out.writerow((r.file, r.row, r.field, r.value, r.reason, r.message))
    log.info("quarantined %d rows of %s in %s", len(rejections), source.name, path)
    return path
