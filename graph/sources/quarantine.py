"""Quarantine files: every rejected row with file, row, field, value and reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from graph.sources.tabular import Rejection
from graph.store.export import read_safe_csv, write_safe_csv

__all__ = ["quarantine_path", "read_quarantine", "write_quarantine"]

log = logging.getLogger(__name__)

COLUMNS = ("file", "row", "field", "value", "reason", "message")


def quarantine_path(folder: Path, source: Path | str) -> Path:
    """``<folder>/<source>.quarantine.csv``.

    ``source`` is the file's path relative to the folder ingested
    (``2025/contacts.csv`` gives ``<folder>/2025/contacts.csv.quarantine.csv``),
    or a :class:`~pathlib.Path` of which only the name counts.
    """
    name = source.name if isinstance(source, Path) else source
    parts = [p for p in Path(name).parts if p not in ("", ".", "..", "/")]
    return folder.joinpath(*parts[:-1], f"{parts[-1]}.quarantine.csv")


def write_quarantine(folder: Path, source: Path | str, rejections: list[Rejection]) -> Path | None:
    """Write (replace) the quarantine file of one source (see :func:`quarantine_path`); remove it when none rejected.

    Replacing rather than appending keeps a re-run from duplicating rows.
    """
    path = quarantine_path(folder, source)
    if not rejections:
        path.unlink(missing_ok=True)
        return None
    rows = ((r.file, r.row, r.field, r.value, r.reason, r.message) for r in rejections)
    write_safe_csv(path, rows, COLUMNS)  # formula cells neutralised: a quarantined '=cmd|...' stays text
    log.info("quarantined %d rows of %s in %s", len(rejections), source, path)
    return path


def read_quarantine(folder: Path) -> pd.DataFrame:
    """Every quarantined row of every source (subfolders too), sources by path.

    Parameters
    ----------
    folder : pathlib.Path
        The quarantine folder (``Settings.quarantine_dir``); it may not exist.

    Returns
    -------
    pandas.DataFrame
        Columns ``file, row, field, value, reason, message`` as text (``row``
        as an integer), in file order within each source; empty when nothing
        was quarantined.
    """
    paths = sorted(folder.rglob("*.quarantine.csv")) if folder.is_dir() else []
    frames = [read_safe_csv(p, dtype=str, keep_default_na=False) for p in paths]
    frames = [f.reindex(columns=list(COLUMNS), fill_value="") for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "object") for c in COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    return out
