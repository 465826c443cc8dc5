"""graph.sources.tabular: files as people save them (titles, sheets, delimiters, encodings, date cells, date order)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from graph.errors import InputError
from graph.resolution.resolver import Resolver
from graph.sources.folder import build, plan_folder, read
from graph.sources.tabular import parse_minutes, read_rows

TODAY = date(2026, 11, 1)
ALUMNI = [
    ("Ann Lee", 2019, "Northfield Hospital", "GI Fellow", "ann@x.example"),
    ("Bo Chan", 2020, "Lakeside Clinic", "Hospitalist", "bo@x.example"),
    ("Cy Ode", 2021, "Mercy General", "Cardiology Fellow", ""),
]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def office_workbook(path: Path, *, cover_sheet: bool = False) -> Path:
    """An alumni sheet as program offices write it: a title row and a blank row above the header."""
    book = openpyxl.Workbook()
    if cover_sheet:
        cover = book.active
        cover.title = "Read me"
        cover["A1"] = "Alumni list, updated each June"
        ws = book.create_sheet("Alumni 2024")
    else:
        ws = book.active
        ws.title = "Alumni 2024"
    ws["A1"] = "Internal Medicine Residency: where our graduates are"
    ws.append([])
    ws.append(["Name", "Grad Yr", "Employer", "Current Role", "E-mail", "Favourite food"])
    for row in ALUMNI:
        ws.append([*row[:2], row[2], row[3], row[4], "pho"])
    book.save(path)
    return path


def test_alumni_sheet_with_a_title_row_and_a_blank_row_lands_all_its_rows(tmp_path: Path) -> None:
    t = read(office_workbook(tmp_path / "alumni.xlsx"), "alumni", today=TODAY)
    assert t.rows["name"].tolist() == [r[0] for r in ALUMNI]
    assert t.rows["grad_year"].tolist() == [r[1] for r in ALUMNI]
    assert t.rows["institution"].tolist() == [r[2] for r in ALUMNI]
    assert t.rows["position"].tolist() == [r[3] for r in ALUMNI]
    assert t.rows["line"].tolist() == [4, 5, 6]  # spreadsheet rows, as the user sees them
    assert t.rejections == [] and t.read == 3
    assert (t.read_as.sheet, t.read_as.header_row, t.read_as.above) == ("Alumni 2024", 3, 1)
    assert t.recognised == {
        "name": "Name",
        "grad_year": "Grad Yr",
        "institution": "Employer",
        "position": "Current Role",
        "email": "E-mail",
    }
    assert t.ignored == ["Favourite food"]


def test_the_header_is_found_on_any_sheet_and_the_others_are_named(tmp_path: Path) -> None:
    t = read(office_workbook(tmp_path / "alumni.xlsx", cover_sheet=True), "alumni", today=TODAY)
    assert t.read_as.sheet == "Alumni 2024" and len(t.rows) == 3
    assert "sheet 'Read me'" in t.ignored


def test_csv_with_title_and_blank_lines_above_the_header(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "alumni.csv",
        "Alumni of the program,,\n,,\n\nFull Name,Class,E-mail\nAnn Lee,2019,ann@x.example\nBo Chan,2020,\n",
    )
    t = read(p, "alumni", today=TODAY)
    assert t.rows["name"].tolist() == ["Ann Lee", "Bo Chan"]
    assert t.rows["line"].tolist() == [5, 6]
    assert t.read_as.header_row == 4


def test_semicolon_delimited_latin1_crlf(tmp_path: Path) -> None:
    text = "Date;Person A;Person B;Person A E-mail;Notiz\r\n2026-01-02;José Núñez;Chen, Li;jose@x.example;café\r\n"
    t = read(write(tmp_path, "contacts.csv", text.encode("latin-1")), "contacts", today=TODAY)
    assert t.read_as.delimiter == ";" and t.read_as.encoding == "cp1252"
    assert t.rows[["person_a", "person_b", "email_a"]].values.tolist() == [["José Núñez", "Chen, Li", "jose@x.example"]]
    assert t.ignored == ["Notiz"] and t.rows["date"].tolist() == ["2026-01-02"]


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("utf-16-le", b"\xff\xfe", "utf-16"), ("utf-8", b"", "utf-8")],
)
def test_encodings_are_named(tmp_path: Path, encoding: str, bom: bytes, name: str) -> None:
    text = "date\tperson_a\tperson_b\r\n2026-01-02\tZoë Ågren\tBen Ode\r\n"
    t = read(write(tmp_path, "contacts.csv", bom + text.encode(encoding)), "contacts", today=TODAY)
    assert t.rows["person_a"].tolist() == ["Zoë Ågren"]
    assert (t.read_as.encoding, t.read_as.delimiter) == (name, "\t")


def test_spreadsheet_date_and_datetime_cells_are_dates(tmp_path: Path) -> None:
    p = tmp_path / "tracker - Ana Ruiz.xlsx"
    pd.DataFrame(
        {
            "Contact": ["Ben Ode", "Cy Lee", "Di Park"],
            "Last contact": [datetime(2025, 3, 4), datetime(2025, 3, 5, 14, 30), date(2025, 3, 6)],
        }
    ).to_excel(p, index=False)
    t = read(p, "tracker", today=TODAY)
    assert t.rejections == []
    assert t.rows["last_contact"].tolist() == ["2025-03-04", "2025-03-05", "2025-03-06"]


def test_datetime_text_names_its_day(tmp_path: Path) -> None:
    p = write(
        tmp_path, "tracker - Ana Ruiz.csv", "Contact,Last contact\nBen Ode,2025-03-04 00:00:00\nCy,2025-03-05T09:15\n"
    )
    assert read(p, "tracker", today=TODAY).rows["last_contact"].tolist() == ["2025-03-04", "2025-03-05"]


def contacts(tmp_path: Path, *dates: str) -> Path:
    body = "".join(f"{d},Ana Ruiz,Ben Ode\n" for d in dates)
    return write(tmp_path, "contacts.csv", "date,person_a,person_b\n" + body)


def test_a_day_above_12_decides_day_first_for_the_whole_file(tmp_path: Path) -> None:
    t = read(contacts(tmp_path, "4/3/2025", "13/03/2025", "2025-01-02"), "contacts", today=TODAY)
    assert t.rows["date"].tolist() == ["2025-03-04", "2025-03-13", "2025-01-02"]
    assert (t.read_as.dayfirst, t.read_as.dayfirst_from) == (True, "rows")


def test_a_day_above_12_in_second_place_decides_month_first(tmp_path: Path) -> None:
    t = read(contacts(tmp_path, "4/3/2025", "03/13/2025"), "contacts", today=TODAY)
    assert t.rows["date"].tolist() == ["2025-04-03", "2025-03-13"]
    assert t.read_as.dayfirst is False


def test_undecidable_day_month_order_is_refused_naming_file_column_and_row(tmp_path: Path) -> None:
    p = contacts(tmp_path, "2025-01-02", "4/3/2025", "5/5/2025")
    with pytest.raises(InputError, match=r"^contacts\.csv: column 'date' row 3: '4/3/2025' could be day/month"):
        read(p, "contacts", today=TODAY)
    assert read(p, "contacts", today=TODAY, dayfirst=True).rows["date"].tolist()[1] == "2025-03-04"
    assert read(p, "contacts", today=TODAY, dayfirst=False).rows["date"].tolist()[1] == "2025-04-03"


def test_contradicting_rows_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"day first \(column 'date' row 2.*month first \(column 'date' row 3"):
        read(contacts(tmp_path, "13/03/2025", "03/13/2025"), "contacts", today=TODAY)


def test_the_manifest_wins_over_the_rows_and_rejects_what_does_not_fit(tmp_path: Path) -> None:
    t = read(contacts(tmp_path, "4/3/2025", "03/13/2025"), "contacts", today=TODAY, dayfirst=True)
    assert t.rows["date"].tolist() == ["2025-03-04"]
    assert [(r.row, r.reason) for r in t.rejections] == [(3, "is not a date (YYYY-MM-DD, DD/MM/YYYY or 12 Mar 2024)")]
    assert (t.read_as.dayfirst, t.read_as.dayfirst_from) == (True, "manifest")


def test_dotted_dates_are_day_first_and_equal_parts_need_no_order(tmp_path: Path) -> None:
    t = read(contacts(tmp_path, "04.03.2025", "5/5/2025"), "contacts", today=TODAY)
    assert t.rows["date"].tolist() == ["2025-03-04", "2025-05-05"]
    assert t.read_as.dayfirst is None


def test_manifest_dayfirst_per_file_and_for_the_folder(tmp_path: Path) -> None:
    (tmp_path / "2025").mkdir()
    contacts(tmp_path / "2025", "4/3/2025")
    contacts(tmp_path, "4/3/2025")
    write(tmp_path, "tiegraph.yaml", "dayfirst: true\nfiles:\n  2025/contacts.csv:\n    dayfirst: false\n")
    plans = {p.path.relative_to(tmp_path).as_posix(): p.dayfirst for p in plan_folder(tmp_path)}
    assert plans == {"contacts.csv": True, "2025/contacts.csv": False}
    write(tmp_path, "tiegraph.yaml", "dayfirst: maybe\n")
    with pytest.raises(InputError, match="dayfirst must be true or false"):
        plan_folder(tmp_path)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("person_a_email", "email_a"),
        ("email a", "email_a"),
        ("a email", "email_a"),
        ("Person A E-mail", "email_a"),
        ("Email (person B)", "email_b"),
        ("person_b_id", "id_b"),
    ],
)
def test_the_header_shapes_people_write(tmp_path: Path, header: str, column: str) -> None:
    p = write(tmp_path, "contacts.csv", f"date,person_a,person_b,{header}\n2026-01-02,Ana,Ben,x@y.example\n")
    t = read(p, "contacts", today=TODAY)
    assert t.recognised[column] == header and t.ignored == []
    assert t.rows[column].tolist() == ["x@y.example"]


def test_email_columns_reach_the_resolver(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "contacts.csv",
        "date,person_a,person_a_email,person_b,person_b_email\n"
        "2026-01-02,Wei Zhang,wz1@x.example,Wei Zhang,wz2@x.example\n",
    )
    batch = build(read(p, "contacts", today=TODAY), "contacts", Resolver([]), ingested_at="t")
    assert {x.email for x in batch.records["person"].values()} == {"wz1@x.example", "wz2@x.example"}
    assert len(batch.of_kind("interaction")) == 1


def test_every_unrecognised_column_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, "contacts.csv", "date,person_a,person_b,Mood,,Weather\n2026-01-02,Ana,Ben,good,x,\n")
    t = read(p, "contacts", today=TODAY)
    assert t.ignored == ["Mood", "column 5 (no header)", "Weather"]


def test_a_self_contact_is_quarantined_with_its_reason(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "contacts.csv",
        "date,person_a,email_a,person_b,email_b\n"
        "2026-01-02,Ana Ruiz,ana@x.example,Ana Ruiz,ana@x.example\n"
        "2026-01-03,Ana Ruiz,,A. Ruiz,ana@x.example\n"
        "2026-01-04,Ana Ruiz,ana@x.example,Ben Ode,\n",
    )
    batch = build(read(p, "contacts", today=TODAY), "contacts", Resolver([]), ingested_at="t")
    # row 3: "A. Ruiz" with Ana's e-mail resolves to Ana herself
    assert [(r.row, r.field) for r in batch.rejections] == [(2, "person_b"), (3, "person_b")]
    assert all("themselves" in r.reason for r in batch.rejections)
    assert len(batch.of_kind("interaction")) == 1
    assert batch.landed == 1 and batch.read == 3


def test_a_tracker_row_naming_its_owner_is_quarantined(tmp_path: Path) -> None:
    p = write(tmp_path, "tracker - Ana Ruiz.csv", "Contact,Last contact\nAna Ruiz,2025-03-04\nBen Ode,2025-03-05\n")
    batch = build(read(p, "tracker", today=TODAY), "tracker", Resolver([]), ingested_at="t")
    assert [(r.row, r.field, r.value) for r in batch.rejections] == [(2, "name", "Ana Ruiz")]
    assert len(batch.records["interaction"]) == 1


@pytest.mark.parametrize("header", ["duration_min", "Duration", "minutes", "Length"])
def test_contact_log_duration_lands_in_duration_min(tmp_path: Path, header: str) -> None:
    rows = ["45", "45 min", "1:30", "", "2 h", "ten", "1500"]
    body = "".join(f"2026-01-{k + 1:02d},Ana,Ben,{v}\n" for k, v in enumerate(rows))
    p = write(tmp_path, "contacts.csv", f"date,person_a,person_b,{header}\n{body}")
    t = read(p, "contacts", today=TODAY)
    assert {(r.row, r.field) for r in t.rejections} == {(7, "duration_min"), (8, "duration_min")}
    batch = build(t, "contacts", Resolver([]), ingested_at="t")
    got = sorted((i.date, i.duration_min) for i in batch.of_kind("interaction"))
    assert got == [
        ("2026-01-01", 45.0),
        ("2026-01-02", 45.0),
        ("2026-01-03", 90.0),
        ("2026-01-04", None),
        ("2026-01-05", 120.0),
    ]


def test_parse_minutes_by_hand() -> None:
    text = ["45", "45 mins", "1.5 h", "90 s", "1:30", "1:30:30", "1h30", "0", "-5", "1:75x", "nan", "inf"]
    got = parse_minutes(pd.Series(text)).tolist()
    want = [45.0, 45.0, 90.0, 1.5, 90.0, 90.5, 90.0, 0.0]
    assert got[: len(want)] == pytest.approx(want)
    assert all(pd.isna(x) for x in got[len(want) :])


def test_dates_beyond_pandas_nanosecond_range_are_judged_not_crashed(tmp_path: Path) -> None:
    t = read(contacts(tmp_path, "2263-01-01", "1677-01-01", "2025-01-02"), "contacts", today=TODAY)
    assert t.rows["date"].tolist() == ["1677-01-01", "2025-01-02"]
    assert [(r.row, r.field) for r in t.rejections] == [(2, "date")] and "future" in t.rejections[0].reason


def test_a_number_too_large_for_any_count_is_quarantined_and_the_other_rows_land(tmp_path: Path) -> None:
    """Found by tests/test_fuzz.py: a grad year of 1E100 overflowed the Int64 column and failed the whole file."""
    path = write(tmp_path, "alumni.csv", "name,grad_year\nAna Ruiz,1E100\nBen Okafor,2019\n")
    t = read(path, "alumni", today=TODAY)
    assert t.rows["name"].tolist() == ["Ben Okafor"] and t.rows["grad_year"].tolist() == [2019]
    assert [(r.row, r.field, r.reason) for r in t.rejections] == [(2, "grad_year", "is too large a number")]


def mixed_workbook(path: Path, *, error: str | None) -> Path:
    """Every kind of cell a program office types, below a blank first row and a blank first column."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([])
    ws.append([None, "Name", "Year", "Score", "Seen", "At", "Active", "Note"])
    ws.append([None, "Ann Lee", 2019, 3.5, date(2025, 3, 4), datetime(2025, 3, 5, 14, 30), True, None])
    ws.append([None, "Bo Chan", 2020, 2.0, datetime(2025, 3, 6), datetime(2025, 3, 7, 9, 15, 30), False, "x"])
    ws.append([None, "Cy Ode", None, -0.25])  # ragged: the rest empty
    if error is not None:
        ws.append([None, "Di Park", 2021, error])  # openpyxl writes a known error text as an error cell (t="e")
    book.save(path)
    return path


@pytest.mark.parametrize("error", [None, "#N/A", "#DIV/0!"])
def test_xlsx_cells_read_as_a_person_reads_them(tmp_path: Path, error: str | None) -> None:
    p = mixed_workbook(tmp_path / "alumni.xlsx", error=error)
    header, rows, rejected = read_rows(p)
    expected = [
        ["Ann Lee", "2019", "3.5", "2025-03-04", "2025-03-05 14:30:00", "True", ""],
        ["Bo Chan", "2020", "2", "2025-03-06", "2025-03-07 09:15:30", "False", "x"],
        ["Cy Ode", "", "-0.25", "", "", "", ""],
    ] + ([["Di Park", "2021", error, "", "", "", ""]] if error else [])
    assert header == ["", "Name", "Year", "Score", "Seen", "At", "Active", "Note"] and rejected == []
    assert [r for _, r in rows] == [["", *e] for e in expected]
    assert [n for n, _ in rows] == list(range(3, 3 + len(expected)))  # spreadsheet row numbers
    if error:  # the oracle: openpyxl reads the error cell as its text
        cell = openpyxl.load_workbook(p, data_only=True).active.cell(row=6, column=4)
        assert (cell.data_type, cell.value) == ("e", error)
