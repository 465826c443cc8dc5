"""Reading and validating tables: row/field-level rejections, encodings, malformed files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.sources.folder import read
from graph.sources.schemas import SCHEMAS
from graph.sources.tabular import normalise_header, read_rows

TODAY = date(2026, 11, 1)
HEADER = "date,person_a,email_a,id_a,person_b,email_b,id_b,channel,context,initiated_by,scheduled,note\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def test_bad_date_rejected_with_file_row_field_and_rest_lands(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "contacts.csv",
        HEADER
        + "2026-01-02,Ana Ruiz,,,Ben Ode,,,email,clinic,,no,\n"
        + "2024-13-01,Ana Ruiz,,,Ben Ode,,,email,clinic,,no,\n"
        + "01/03/2026,Ana Ruiz,,,Ben Ode,,,call,ICU,a,yes,\n",
    )
    t = read(p, "contacts", today=TODAY, dayfirst=False)  # nothing in the rows decides 01/03
    assert t.read == 3
    assert list(t.rows["date"]) == ["2026-01-02", "2026-01-03"]
    assert [r.message for r in t.rejections] == [
        "contacts.csv row 3, field 'date': '2024-13-01' is not a date (YYYY-MM-DD, MM/DD/YYYY or 12 Mar 2024)"
    ]


def test_every_failing_field_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, "contacts.csv", HEADER + "2030-01-01,Ana Ruiz,,,,,,carrier pigeon,clinic,Zed Zulu,maybe,\n")
    t = read(p, "contacts", today=TODAY)
    assert t.rows.empty
    fields = {r.field: r.reason for r in t.rejections}
    assert set(fields) == {"date", "person_b", "channel", "scheduled", "initiated_by"}
    assert "future" in fields["date"]
    assert fields["person_b"] == "is required"


def test_initiator_must_be_one_of_the_two(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "contacts.csv",
        HEADER
        + "2026-01-02,Ana Ruiz,,,Ben Ode,,,email,clinic,Zed Zulu,no,\n"
        + "2026-01-02,Ana Ruiz,,,Ben Ode,,,email,clinic,ben ode,no,\n",
    )
    t = read(p, "contacts", today=TODAY)
    assert [(r.row, r.field) for r in t.rejections] == [(2, "initiated_by")]
    assert len(t.rows) == 1


def test_header_synonyms_and_mapping_are_recognised(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "alumni.csv",
        "Full Name,Class of,Current Position,Employer,Field,City,E-mail\n"
        "Ann Lee,2019,GI Fellow,Northfield Hospital,Gastroenterology,Oslo,ann@x.example\n",
    )
    t = read(p, "alumni", today=TODAY)
    assert t.recognised["grad_year"] == "Class of" and t.recognised["institution"] == "Employer"
    assert int(t.rows["grad_year"].iloc[0]) == 2019
    q = write(tmp_path, "alumni2.csv", "Who,Year Left\nAnn Lee,2019\n")
    t2 = read(q, "alumni", mapping={"name": "Who", "grad_year": "Year Left"}, today=TODAY)
    assert t2.rows["name"].tolist() == ["Ann Lee"]


def test_missing_required_column_is_a_clear_error(tmp_path: Path) -> None:
    p = write(tmp_path, "alumni.csv", "Nom,Annee\nAnn,2019\n")
    with pytest.raises(InputError, match=r"alumni.csv: no column for name, grad_year"):
        read(p, "alumni", today=TODAY)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    p = write(
        tmp_path,
        "contacts.csv",
        (HEADER + "2026-01-02,José Núñez,,,Ben Ode,,,email,clinic,,no,café\n").encode(encoding),
    )
    t = read(p, "contacts", today=TODAY)
    assert t.rows["person_a"].iloc[0] == "José Núñez"
    assert t.rows["note"].iloc[0] == "café"


def test_ragged_row_is_quarantined_not_fatal(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "contacts.csv",
        HEADER
        + "2026-01-02,Ana,,,Ben,,,email,clinic,,no,,extra,fields\n"
        + "2026-01-03,Ana,,,Ben,,,email,clinic,,no,\n",
    )
    t = read(p, "contacts", today=TODAY)
    assert len(t.rows) == 1
    assert t.rejections[0].row == 2 and "fields" in t.rejections[0].reason


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("contacts.csv", b"", "empty"),
        ("roster.xlsx", b"", "empty"),
        ("roster.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        ("contacts.csv", b"\x00\x01\x02binary", "binary"),
        ("contacts.csv", b"\n\n\n", "no header"),
    ],
)
def test_malformed_files_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    p = write(tmp_path, name, content)
    with pytest.raises(InputError) as exc:
        read_rows(p)
    assert name in str(exc.value) and message in str(exc.value)


def test_xlsx_round_trip(tmp_path: Path) -> None:
    import pandas as pd

    p = tmp_path / "roster.xlsx"
    pd.DataFrame(
        {"Name": ["Ana Ruiz", "Ben Ode"], "Kind": ["resident", "faculty"], "PGY": [2, None], "Role": ["", "APD"]}
    ).to_excel(p, index=False)
    t = read(p, "roster", today=TODAY)
    assert t.rows["name"].tolist() == ["Ana Ruiz", "Ben Ode"]
    assert t.rows["pgy"].tolist()[0] == 2 and t.rows["kind"].tolist() == ["resident", "faculty"]


def test_linkedin_preamble_is_skipped(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "Connections.csv",
        'Notes:\n"When exporting your connection data, you may notice..."\n\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Chloe,Zhang,https://www.linkedin.com/in/x,,Northfield Hospital,GI Fellow,12 Mar 2024\n",
    )
    t = read(p, "linkedin", today=TODAY)
    assert t.rows["connected_on"].tolist() == ["2024-03-12"]
    assert t.rows["line"].tolist() == [5]


def test_every_schema_has_unique_normalised_names() -> None:
    for kind, cols in SCHEMAS.items():
        norm = [normalise_header(c.name) for c in cols]
        assert len(norm) == len(set(norm)), kind


@pytest.mark.parametrize("value", ["INF", "-inf", "nan", "1e400", "2019.5"])
def test_non_finite_and_fractional_years_are_rejected(tmp_path: Path, value: str) -> None:
    p = write(tmp_path, "alumni.csv", f"name,grad_year\nAnn Lee,{value}\nBo Ng,2019\n")
    t = read(p, "alumni", today=TODAY)
    assert [(r.row, r.field, r.reason) for r in t.rejections] == [(2, "grad_year", "is not a whole number")]
    assert t.rows["grad_year"].tolist() == [2019]


def test_contact_ids_are_the_relative_path_and_row_content_and_self_contacts_are_quarantined(tmp_path: Path) -> None:
    """Ids by the documented rule (``stable_id`` of path and row content; a repeat gets its place), not row numbers."""
    from graph.model import stable_id
    from graph.resolution.resolver import Resolver
    from graph.sources.folder import build

    rows = [
        "2026-09-01,Ana Ruiz,ana@x.example,R-1,Ben Okafor,,F-1,in person,wards,a,yes,rounds",
        "2026-09-01,Ana Ruiz,ana@x.example,R-1,Ben Okafor,,F-1,in person,wards,b,yes,again",  # same key: a repeat
        "2026-09-02,Ana Ruiz,,R-1,Ana Ruiz,ana@x.example,,call,ICU,,no,with herself",  # one person: quarantined
        "2026-09-01,Ana Ruiz,ana@x.example,R-1,Ben Okafor,,F-1,email,clinic,,no,a third",
        "2026-09-03,Ben Okafor,,F-1,Cy Dee,,,email,ACG,b,no,",
    ]
    path = write(tmp_path, "log.csv", HEADER + "\n".join(rows) + "\n")
    batch = build(read(path, "contacts", today=TODAY), "contacts", Resolver([]), ingested_at="t", name="sub/log.csv")
    key = ("Ana Ruiz", "ana@x.example", "R-1", "Ben Okafor", "", "F-1", "2026-09-01")
    want = [
        stable_id("i", "sub/log.csv", *key),
        stable_id("i", "sub/log.csv", *key, 1),
        stable_id("i", "sub/log.csv", *key, 2),
        stable_id("i", "sub/log.csv", "Ben Okafor", "", "F-1", "Cy Dee", "", "", "2026-09-03"),
    ]
    got = {i.id: i for i in batch.of_kind("interaction")}
    assert list(got) == want
    assert [i.note for i in got.values()] == ["rounds", "again", "a third", ""]
    assert [i.row for i in got.values()] == [2, 3, 5, 6]
    ana, ben = got[want[0]].a, got[want[0]].b
    assert got[want[0]].initiated_by == ana and got[want[1]].initiated_by == ben and got[want[3]].initiated_by != ana
    assert [(r.row, r.field, r.value) for r in batch.rejections] == [(4, "person_b", "Ana Ruiz")]
