"""graph.views.Views.target_options: every option resolves back to what it says."""

from __future__ import annotations

from graph.store import Store
from graph.views import Views


def test_target_options_kinds_labels_and_order(targets_store: Store) -> None:
    options = Views(targets_store).target_options()
    assert options[["kind", "label"]].to_records(index=False).tolist() == [
        ("program", "Gastroenterology fellowship at Northfield University Hospital"),
        ("program", "Hematology/Oncology fellowship at Lakeside Medical Center"),
        ("institution", "Lakeside Medical Center (institution)"),
        ("institution", "Northfield University Hospital (institution)"),  # Nowhere Clinic: nobody works there
        # Cardiology: only a resident; Pulmonary/Critical Care: only someone who opted out
        ("specialty", "Gastroenterology (anyone in the specialty)"),
        ("specialty", "Hematology/Oncology (anyone in the specialty)"),
        ("person", "Ana Ruiz: PGY2 resident, Lakeside Medical Center"),
        ("person", "Ben Okafor: faculty, APD, Lakeside Medical Center"),
        ("person", "Chloe Zhang: alum, Northfield University Hospital"),
        ("person", "Dev Patel: PGY1 resident, Lakeside Medical Center"),
        ("person", "Hank Moss: faculty, Lakeside Medical Center"),
        ("person", "Sam Quinn"),  # Olga Berg opted out
    ]


def test_every_target_option_resolves_to_itself(targets_store: Store) -> None:
    v = Views(targets_store)
    for kind, label, value in v.target_options().itertuples(index=False):
        target = v.target(value)
        assert target.kind == kind, (label, target)
        assert label.startswith(target.label), (label, target)
        if kind == "person":
            assert target.id == value
    assert v.target("Northfield University Hospital").members == {"p-chl"}
    assert v.target("Gastroenterology").members == {"p-ben", "p-chl"}  # residents are peers, not the door
