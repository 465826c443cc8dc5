"""graph.analytics.targets.resolve_target: what "the GI fellowship at X", "X" and "Cardiology" mean."""

from __future__ import annotations

import pytest

from graph.analytics.targets import resolve_target
from graph.store import Store


def resolve(store: Store, query: str) -> tuple[str, str]:
    frames = [store.frame(k) for k in ("person", "program", "institution", "affiliation")]
    t = resolve_target(query, *frames)
    return t.kind, t.id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("GI fellowship at Northfield", ("program", "g-gi")),
        ("Gastroenterology fellowship at Northfield University Hospital", ("program", "g-gi")),
        ("Gastroenterology fellowship Northfield", ("program", "g-gi")),
        ("heme onc fellowship at Lakeside", ("program", "g-ho")),
        # a name that is exactly an institution or a specialty is that, though a program's name contains it
        ("Northfield University Hospital", ("institution", "i-north")),
        ("lakeside medical center", ("institution", "i-lake")),
        ("Gastroenterology", ("specialty", "Gastroenterology")),
        ("Hematology/Oncology", ("specialty", "Hematology/Oncology")),
        ("GI", ("specialty", "Gastroenterology")),
        ("Ben Okafor", ("person", "p-ben")),
    ],
)
def test_resolve_target(targets_store: Store, query: str, expected: tuple[str, str]) -> None:
    assert resolve(targets_store, query) == expected
