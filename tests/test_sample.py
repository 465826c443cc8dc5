"""The seeded sample program: determinism, sizes, formats, and every planted label checked against the files."""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import icalendar
import numpy as np
import pandas as pd
import pytest
from lxml import etree
from openpyxl import load_workbook

from graph.errors import InputError
from tools.sample import CHANNELS, END_DATE, FORMATS, INJECTION_NAME, MENTOR_TYPES, generate, write_sample

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
END = END_DATE.isoformat()
YEAR_AGO = (END_DATE - timedelta(days=365)).isoformat()
CONTACT_FILES = ("contacts_2025.csv", "contacts_2026.csv")
CONFERENCE = re.compile(r"^(ACP|SHM|CHEST|ATS|AHA|ASN|ASCO|ACG|IDSA|SGIM|AGA|ACP [A-Z][a-z]+( [A-Z][a-z]+)? Chapter)$")
CONTEXTS = {"wards", "ICU", "clinic", "consult", "meeting", "research", ""}


@pytest.fixture(scope="module")
def program():
    return generate(7, 1.0)


@pytest.fixture(scope="module")
def folder(program, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(program, out)
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def label(folder: Path, name: str) -> pd.DataFrame:
    return csv(folder, f"labels/{name}")


def contacts(folder: Path) -> pd.DataFrame:
    parts = []
    for name in CONTACT_FILES:
        frame = csv(folder, name)
        parts.append(frame.assign(file=name, row=np.arange(len(frame)) + 2))
    return pd.concat(parts, ignore_index=True)


def cell(folder: Path, file: str, row: int, column: str) -> object:
    """The value a spreadsheet shows at (row, column); the header is row 1."""
    if file.endswith(".xlsx"):
        sheet = load_workbook(folder / file, read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        return rows[row - 1][list(rows[0]).index(column)]
    return csv(folder, file).at[row - 2, column]


def attendees(event: icalendar.Event) -> list:
    found = event.get("ATTENDEE", [])
    return found if isinstance(found, list) else [found]


def iso_ok(text: str) -> bool:
    try:
        return date.fromisoformat(text) <= END_DATE and len(text) == 10
    except ValueError:
        return False


def contact_defects(frame: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Every contact row that breaks docs/formats.md, with the field at fault."""
    checks = {
        "date": ~frame["date"].map(iso_ok),
        "person_a": frame["person_a"] == "",
        "person_b": frame["person_b"] == "",
        "channel": ~frame["channel"].isin(CHANNELS),
        "scheduled": ~frame["scheduled"].isin(["yes", "no"]),
        "initiated_by": ~(
            frame["initiated_by"].isin(["a", "b", "both"])
            | (frame["initiated_by"] == frame["person_a"])
            | (frame["initiated_by"] == frame["person_b"])
        ),
        "context": ~(frame["context"].isin(CONTEXTS) | frame["context"].str.match(CONFERENCE)),
    }
    out = {}
    for field, bad in checks.items():
        for file, row in frame.loc[bad, ["file", "row"]].itertuples(index=False):
            out[(file, int(row))] = field
    return out


# ---------------------------------------------------------------- determinism and the committed copy


def test_same_seed_gives_byte_identical_files(folder, tmp_path):
    write_sample(generate(7, 1.0), tmp_path)
    again = files(tmp_path)
    first = files(folder)
    assert sorted(again) == sorted(first)
    assert [name for name in first if first[name] != again[name]] == []


def test_different_seed_gives_different_files(folder, tmp_path):
    write_sample(generate(8, 1.0), tmp_path)
    other, first = files(tmp_path), files(folder)
    for name in ("contacts_2025.csv", "contacts_2026.csv", "roster.csv", "alumni.xlsx", "pubmed.xml", "calendar.ics"):
        assert other[name] != first[name], name


def test_committed_sample_is_exactly_what_seed_7_writes(folder):
    assert sorted(files(SAMPLE)) == sorted(files(folder))
    stale = [name for name, data in files(folder).items() if files(SAMPLE)[name] != data]
    assert stale == [], "regenerate with write_sample(generate(7, 1.0), Path('data/sample'))"


def test_committed_sample_is_under_10_mb():
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert 5_000_000 < total < 10 * 1024 * 1024


def test_readme_says_fictional_and_how_it_was_made():
    text = (SAMPLE / "README.md").read_text()
    assert "fictional" in text
    assert "tiegraph sample --seed 7" in text


# ---------------------------------------------------------------- sizes at scale 1


def test_roster_has_the_program_shape(folder):
    roster = csv(folder, "roster.csv")
    residents = roster[roster["kind"] == "resident"]
    assert len(residents) == 90
    assert residents["pgy"].value_counts().reindex(["1", "2", "3"]).between(29, 30).all()
    assert residents["program_id"].str.fullmatch(r"R-\d{4}").all()
    assert residents["email"].str.fullmatch(r"[a-z]+\.[a-z]+@lakeside\.example").all()
    assert set(residents["specialty"]) >= {"Gastroenterology", "Cardiology", "Hospital Medicine"}
    staff = roster[roster["kind"] != "resident"]
    assert 240 <= len(staff) <= 260
    roles = staff["role"].value_counts()
    assert (roles["PD"], roles["APD"], roles["chief"]) == (1, 3, 3)
    assert {"nurse", "pharmacist", "case_manager", "fellow", "faculty"} <= set(staff["kind"])
    assert {"wards", "ICU", "clinic", "consults"} <= set(staff["service"])
    committees = {c for text in roster["committees"] for c in text.split("; ") if c}
    assert committees == {"QI", "Patient Safety", "GME Council", "M&M"}
    assert roster["program_id"].is_unique and roster["email"].is_unique


def test_alumni_list_uses_the_header_variant_and_shares_emails_with_home_faculty(folder):
    alumni = pd.read_excel(folder / "alumni.xlsx", dtype=str, keep_default_na=False)
    assert list(alumni.columns) == ["Full Name", "Class of", "Current Position", "Employer", "Field", "City", "E-mail"]
    assert 1100 <= len(alumni) <= 1300
    years = pd.to_numeric(alumni["Class of"], errors="coerce").dropna()
    assert set(years.astype(int)) == set(range(2012, 2027))
    assert alumni["Employer"].nunique() >= 20
    gi = alumni[alumni["Current Position"] == "Gastroenterology Fellow"]
    assert gi["Employer"].nunique() >= 3
    roster = csv(folder, "roster.csv")
    home = alumni[alumni["Employer"] == "Lakeside University Medical Center"]
    assert len(home) >= 20
    assert set(home["E-mail"]) <= set(roster["email"])
    assert {"Hospitalist", "Associate Program Director"} <= set(alumni["Current Position"])


def test_contact_log_volume_and_rhythms(folder):
    log = contacts(folder)
    assert 14_000 <= len(log) <= 17_000
    assert log["date"].str.startswith("2030").sum() == 1
    log = log[log["date"].map(iso_ok)]
    rotation = log[log["scheduled"] == "yes"]
    assert set(rotation["context"]) == {"wards", "ICU", "clinic", "consult"}
    conference = log[log["context"].str.match(CONFERENCE) & (log["channel"] == "in person")]
    assert {"ACP", "SHM", "CHEST", "ATS", "ACG", "IDSA", "ASN"} <= set(conference["context"])
    assert conference["context"].str.endswith("Chapter").any()
    months = pd.to_datetime(conference["date"]).dt.month
    assert months[conference["context"] == "ACG"].eq(10).all()
    assert months[conference["context"] == "ATS"].eq(5).all()
    follow = log[log["note"].str.startswith("follow-up email after")]
    assert len(follow) > 100
    assert (follow["channel"] == "email").all() and (follow["initiated_by"] == "a").all()


def test_follow_ups_come_three_to_five_days_after_the_conference_for_some_contacts_only(folder):
    log = contacts(folder)
    log = log[log["date"].map(iso_ok)]
    met = log[log["context"].str.match(CONFERENCE) & (log["channel"] == "in person")]
    later = log[log["context"].str.match(CONFERENCE) & (log["channel"] == "email")]
    joined = met.merge(later, on=["person_a", "person_b", "context"], suffixes=("", "_f"))
    gap = (pd.to_datetime(joined["date_f"]) - pd.to_datetime(joined["date"])).dt.days
    assert gap.between(3, 8).mean() > 0.9  # the conference lasts up to 4 days
    assert 0.3 < later.shape[0] / met.shape[0] < 0.8


def test_every_email_uses_the_reserved_example_domain(folder):
    emails = [csv(folder, "roster.csv")["email"], label(folder, "people.csv")["email"]]
    emails += [csv(folder, "mentorship.csv")[c] for c in ("mentor_email", "mentee_email")]
    log = contacts(folder)
    emails += [log["email_a"], log["email_b"]]
    emails.append(pd.read_excel(folder / "alumni.xlsx", dtype=str, keep_default_na=False)["E-mail"])
    found = pd.concat(emails)
    found = found[found != ""]
    assert len(found) > 10_000
    assert found.str.fullmatch(r"[a-z.]+@[a-z]+\.example").all()
    calendar = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes())
    addresses = [str(e["ORGANIZER"]) for e in calendar.walk("VEVENT")]
    addresses += [str(a) for e in calendar.walk("VEVENT") for a in attendees(e)]
    assert all(a.startswith("mailto:") and a.endswith(".example") for a in addresses)
    linked = pd.read_csv(folder / "Connections.csv", skiprows=3, dtype=str, keep_default_na=False)
    assert linked.loc[linked["Email Address"] != "", "Email Address"].str.endswith(".example").all()


# ---------------------------------------------------------------- dates


def test_no_date_after_the_end_except_the_planted_future_one(folder):
    log = contacts(folder)
    parsed = pd.to_datetime(log["date"], format="%Y-%m-%d", errors="coerce")
    future = log[parsed > pd.Timestamp(END)]
    planted = label(folder, "planted_bad_rows.csv")
    planted = planted[planted["reason"] == "date in the future"]
    assert list(zip(future["file"], future["row"], strict=True)) == [
        (f, int(r)) for f, r in zip(planted["file"], planted["row"], strict=True)
    ]
    assert log["date"].max() == "2030-01-01"
    assert (csv(folder, "mentorship.csv")["since"] <= END).all()
    assert log.loc[log["file"] == "contacts_2025.csv", "date"].map(iso_ok).sum() > 4000


def test_no_future_dates_in_trackers_calendar_linkedin_or_pubmed(folder):
    for path in folder.glob("tracker - *"):
        frame = pd.read_excel(path, dtype=str) if path.suffix == ".xlsx" else csv(folder, path.name)
        column = next(c for c in frame.columns if c.lower().startswith("last contact"))
        assert (pd.to_datetime(frame[column], format="mixed") <= pd.Timestamp(END)).all(), path.name
    calendar = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes())
    assert all(e.decoded("dtend").date() <= END_DATE for e in calendar.walk("VEVENT"))
    linked = pd.read_csv(folder / "Connections.csv", skiprows=3)
    assert (pd.to_datetime(linked["Connected On"], format="%d %b %Y") <= pd.Timestamp(END)).all()
    years = etree.parse(str(folder / "pubmed.xml")).xpath("//PubDate/Year/text()")
    assert max(int(y) for y in years) <= END_DATE.year


# ---------------------------------------------------------------- planted faults


def test_every_planted_bad_row_has_its_defect(folder):
    planted = label(folder, "planted_bad_rows.csv")
    assert planted["file"].value_counts().to_dict() == {
        "contacts_2025.csv": 4,
        "contacts_2026.csv": 4,
        "alumni.xlsx": 2,
        "roster.csv": 1,
        "mentorship.csv": 1,
    }
    log = contacts(folder)
    found = contact_defects(log)
    for file, row, field, _ in planted.itertuples(index=False):
        row = int(row)
        value = cell(folder, file, row, field)
        if file in CONTACT_FILES:
            assert found.get((file, row)) == field, (file, row, field, value)
        elif field == "pgy":
            assert value not in {"1", "2", "3"}
        elif field == "type":
            assert value not in MENTOR_TYPES
        elif field == "Class of":
            assert not str(value).isdigit()
        elif field == "Full Name":
            assert value in (None, "")
        else:
            pytest.fail(f"no check for {field}")


def test_contact_files_have_no_defect_besides_the_planted_ones(folder):
    planted = label(folder, "planted_bad_rows.csv")
    planted = {(f, int(r)) for f, r in zip(planted["file"], planted["row"], strict=True) if f in CONTACT_FILES}
    assert set(contact_defects(contacts(folder))) == planted


def test_other_tables_have_no_defect_besides_the_planted_ones(folder):
    roster = csv(folder, "roster.csv")
    residents = roster["kind"] == "resident"
    bad_pgy = roster.index[residents & ~roster["pgy"].isin(["1", "2", "3"])] + 2
    assert list(bad_pgy) == [int(r) for r in label_rows(folder, "roster.csv")]
    assert (roster.loc[~residents, "pgy"] == "").all()
    mentorship = csv(folder, "mentorship.csv")
    assert list(mentorship.index[~mentorship["type"].isin(MENTOR_TYPES)] + 2) == label_rows(folder, "mentorship.csv")
    alumni = pd.read_excel(folder / "alumni.xlsx", dtype=str, keep_default_na=False)
    bad = alumni.index[(alumni["Full Name"] == "") | ~alumni["Class of"].str.fullmatch(r"20\d\d")] + 2
    assert sorted(bad) == sorted(label_rows(folder, "alumni.xlsx"))


def label_rows(folder: Path, file: str) -> list[int]:
    planted = label(folder, "planted_bad_rows.csv")
    return [int(r) for r in planted.loc[planted["file"] == file, "row"]]


# ---------------------------------------------------------------- name variants and the same-name pair


def test_resolution_labels_name_what_each_cell_says(folder):
    resolution = label(folder, "resolution.csv")
    people = label(folder, "people.csv").set_index("person")
    assert 130 <= len(resolution) <= 180
    assert 55 <= resolution["true_person"].nunique() <= 70
    assert resolution["true_person"].isin(people.index).all()
    assert {"contacts_2025.csv", "contacts_2026.csv", "mentorship.csv"} <= set(resolution["file"])
    assert resolution["file"].str.startswith("tracker - ").sum() >= 10
    sheets: dict[str, pd.DataFrame] = {}
    for file, row, column, written, truth in resolution.itertuples(index=False):
        if file not in sheets:
            path = folder / file
            sheets[file] = (
                pd.read_excel(path, dtype=str, keep_default_na=False) if path.suffix == ".xlsx" else csv(folder, file)
            )
        assert sheets[file].at[int(row) - 2, column] == written
        last = people.at[truth, "name"].split()[-1]
        assert last.lower() in written.lower()
    variants = resolution[resolution["written_as"] != resolution["true_person"].map(people["name"])]
    assert len(variants) >= 120
    forms = variants["written_as"]
    assert forms.str.fullmatch(r"[A-Z][a-z]+ [A-Z]").any()  # Smith J
    assert forms.str.fullmatch(r"[A-Z][a-z]+ [A-Z]\. [A-Z][a-z]+, MD").any()  # John A. Smith, MD
    assert forms.str.fullmatch(r"[A-Z][a-z]+, [A-Z][a-z]+").any()  # Smith, John


def test_same_name_pair_are_two_people_with_two_emails(folder):
    pair = label(folder, "distinct_people.csv")
    assert len(pair) == 1
    name, first, second = pair.loc[0, ["name", "person_1", "person_2"]]
    people = label(folder, "people.csv").set_index("person")
    assert people.at[first, "name"] == people.at[second, "name"] == name
    assert people.at[first, "email"] != people.at[second, "email"]
    log = contacts(folder)
    for who in (first, second):
        email = people.at[who, "email"]
        assert ((log["person_b"] == name) & (log["email_b"] == email)).any()
    resolution = label(folder, "resolution.csv")
    same = resolution[resolution["written_as"] == name]
    assert set(same["true_person"]) == {first, second}


def test_injection_name_lands_verbatim_in_a_tracker(folder):
    verbatim = label(folder, "verbatim.csv")
    file, row, column, value = verbatim.iloc[0]
    assert value == INJECTION_NAME
    assert csv(folder, file).at[int(row) - 2, column] == INJECTION_NAME


# ---------------------------------------------------------------- mentorship


def test_thin_mentorship_residents_plainly_lack_a_team(folder):
    thin = label(folder, "thin_mentorship.csv")
    assert 8 <= len(thin) <= 12
    roster = csv(folder, "roster.csv").set_index("program_id")
    mentorship = csv(folder, "mentorship.csv")
    log = contacts(folder)
    calendar = (folder / "calendar.ics").read_text()
    for pid, _, reason in thin.itertuples(index=False):
        email = roster.at[pid, "email"]
        teams = mentorship[mentorship["mentee_email"] == email]
        if reason == "no mentors at all":
            assert teams.empty
            continue
        assert len(teams) == 1 and reason.startswith("only one mentor")
        mentor, mentor_email = teams.iloc[0][["mentor", "mentor_email"]]
        mine = (log["email_a"] == email) | (log["email_b"] == email) | (log["id_a"] == pid) | (log["id_b"] == pid)
        theirs = log["person_a"].isin([mentor]) | log["person_b"].isin([mentor])
        theirs |= (log["email_a"] == mentor_email) | (log["email_b"] == mentor_email)
        together = log[mine & theirs]
        assert not together.empty, "a stale mentor was met once"
        assert (together["date"] <= YEAR_AGO).all()
        assert email not in calendar


def test_other_residents_have_an_active_team(folder):
    thin = set(label(folder, "thin_mentorship.csv")["program_id"])
    roster = csv(folder, "roster.csv")
    residents = roster[(roster["kind"] == "resident") & ~roster["program_id"].isin(thin)]
    mentorship = csv(folder, "mentorship.csv")
    per = mentorship.groupby("mentee_email").size()
    assert per.reindex(residents["email"]).fillna(0).ge(2).all()
    log = contacts(folder)
    recent = log[(log["date"] > YEAR_AGO) & (log["date"] <= END)]
    pairs = set(zip(recent["email_a"], recent["email_b"], strict=True))
    met = mentorship.apply(lambda m: (m["mentee_email"], m["mentor_email"]) in pairs, axis=1)
    assert mentorship.loc[met, "mentee_email"].nunique() >= 0.9 * len(residents)
    full = mentorship.groupby("mentee_email")["type"].agg(set)
    assert (full.map(lambda t: t >= set(MENTOR_TYPES))).sum() >= 15


def test_favour_ties_are_one_sided(folder):
    one_sided = label(folder, "one_sided.csv")
    assert len(one_sided) >= 100
    people = label(folder, "people.csv").set_index("person")
    log = contacts(folder)
    log = log[~log.set_index(["file", "row"]).index.isin(list(contact_defects(log)))]
    checked = 0
    for asker, target, _ in one_sided.head(60).itertuples(index=False):
        a_mail, t_mail = people.at[asker, "email"], people.at[target, "email"]
        forward = (log["email_a"] == a_mail) & (log["email_b"] == t_mail)
        backward = (log["email_a"] == t_mail) & (log["email_b"] == a_mail)
        asks = log.loc[forward, "initiated_by"].isin(["a", people.at[asker, "name"]])
        asks_back = log.loc[backward, "initiated_by"].isin(["b", people.at[asker, "name"]])
        assert asks.all() and asks_back.all()
        assert log.loc[forward | backward, "note"].str.startswith("asked").all()
        checked += len(asks) + len(asks_back)
    assert checked >= 100


# ---------------------------------------------------------------- other formats


def test_pubmed_xml_parses_as_an_efetch_article_set(folder):
    raw = (folder / "pubmed.xml").read_bytes()
    assert raw.count(b"\n") <= 4  # compact: no pretty-print indentation
    root = etree.fromstring(raw)
    assert root.tag == "PubmedArticleSet"
    articles = root.findall("PubmedArticle")
    assert len(articles) == 3000
    pmids = [int(a.findtext("MedlineCitation/PMID")) for a in articles]
    assert pmids == list(range(90000001, 90003001))
    first = articles[0].find("MedlineCitation/Article")
    assert first.findtext("ArticleTitle") and first.findtext("Journal/Title")
    assert first.findtext("Journal/JournalIssue/PubDate/Year").isdigit()
    assert articles[0].find("MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName") is not None
    authors = root.findall(".//AuthorList/Author")
    assert len(authors) > 3 * 3000 * 0.95
    assert all(a.findtext("LastName") and a.findtext("ForeName") and a.findtext("Initials") for a in authors)
    affiliations = root.xpath("//AffiliationInfo/Affiliation/text()")
    assert sum("Lakeside University Medical Center" in a for a in affiliations) > 1000
    orcids = root.xpath('//Identifier[@Source="ORCID"]/text()')
    assert len(orcids) > 1000
    assert all(orcid_ok(o) for o in orcids)
    people = label(folder, "people.csv")
    surnames = set(people["name"].str.split().str[-1])
    assert all(a.findtext("LastName") in surnames for a in authors[:500])


def orcid_ok(text: str) -> bool:
    digits = text.replace("-", "")
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    return text.startswith("0000-0000-") and digits[-1] == ("X" if check == 10 else str(check))


def test_calendar_parses_with_organizers_attendees_and_video_links(folder):
    calendar = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert 180 <= len(events) <= 220
    for event in events:
        organizer = event["ORGANIZER"]
        assert str(organizer).startswith("mailto:") and organizer.params["CN"]
        assert attendees(event)
        assert all(str(a).startswith("mailto:") and a.params["CN"] for a in attendees(event))
    locations = [str(e.get("LOCATION", "")) for e in events]
    assert 30 <= sum(loc.startswith("https://") for loc in locations) <= 120
    summaries = [str(e["SUMMARY"]) for e in events]
    for kind in ("Mentor meeting", "Research meeting", "committee meeting"):
        assert any(kind in s for s in summaries)


def test_connections_has_linkedins_preamble(folder):
    lines = (folder / "Connections.csv").read_text().splitlines()
    assert lines[0] == "Notes:"
    assert lines[1].startswith('"When exporting your connection data')
    assert lines[2] == ""
    assert lines[3] == "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    frame = pd.read_csv(folder / "Connections.csv", skiprows=3, dtype=str, keep_default_na=False)
    assert len(frame) >= 100
    assert frame["Connected On"].str.fullmatch(r"\d\d [A-Z][a-z]{2} \d{4}").all()
    assert (frame["Email Address"] == "").mean() > 0.6


def test_manifest_names_the_linkedin_owner_a_resident_with_a_tracker(folder):
    text = (folder / "tiegraph.yaml").read_text()
    owner = re.search(r'owner: "([^"]+)"', text).group(1)
    assert "Connections.csv:" in text and "kind: linkedin" in text
    roster = csv(folder, "roster.csv")
    assert owner in set(roster.loc[roster["kind"] == "resident", "name"])
    assert list(folder.glob(f"tracker - {owner}.*"))
    linked = pd.read_csv(folder / "Connections.csv", skiprows=3)
    assert owner not in set(linked["First Name"] + " " + linked["Last Name"])


def test_trackers_are_twelve_residents_with_known_and_new_contacts(folder):
    paths = sorted(folder.glob("tracker - *"))
    assert len(paths) == 12
    assert sum(p.suffix == ".xlsx" for p in paths) == 2
    roster = csv(folder, "roster.csv")
    residents = set(roster.loc[roster["kind"] == "resident", "name"])
    people = label(folder, "people.csv")
    known = set(people.loc[people["group"].isin(["staff", "alumnus", "outsider", "resident"]), "name"])
    headers = set()
    for path in paths:
        owner = path.stem.removeprefix("tracker - ")
        assert owner in residents
        frame = pd.read_excel(path, dtype=str) if path.suffix == ".xlsx" else csv(folder, path.name)
        headers.add(tuple(frame.columns))
        names = frame.iloc[:, 0]
        assert names.isin(known).sum() >= 3, path.name
        assert (~names.isin(known)).sum() >= 3, path.name
    assert len(headers) >= 3
    assert any("How we met" in h for h in headers)


def test_write_sample_can_write_only_some_formats(program, tmp_path):
    paths = write_sample(program, tmp_path, formats={"contacts"})
    assert [p.name for p in paths] == list(CONTACT_FILES)
    paths = write_sample(program, tmp_path / "l", formats={"linkedin"})
    assert [p.name for p in paths] == ["Connections.csv", "tiegraph.yaml"]
    with pytest.raises(InputError, match="unknown sample formats"):
        write_sample(program, tmp_path, formats={"contacts", "fax"})
    assert "labels" in FORMATS


def test_generate_refuses_a_non_positive_scale():
    with pytest.raises(InputError, match="scale"):
        generate(7, 0)


def test_sample_generator_is_a_dev_tool_outside_the_runtime():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(d.lower().startswith("faker") for d in project["dependencies"])
    assert any(d.lower().startswith("faker") for d in project["optional-dependencies"]["dev"])
    tree = ast.parse((ROOT / "tools" / "sample.py").read_text())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"prefect", "dash", "typer", "rich"}


# ---------------------------------------------------------------- scale


def test_size_grows_linearly_with_scale(program):
    double = generate(7, 2.0)
    for attr in ("people", "roster", "alumni"):
        ratio = len(getattr(double, attr)) / len(getattr(program, attr))
        assert ratio >= 1.8 and ratio <= 2.1, attr
    rows = sum(len(f) for f in double.contacts.values()) / sum(len(f) for f in program.contacts.values())
    assert rows == 2.0
    assert double.pubmed_xml.count("<PubmedArticle>") == 6000


def test_scale_66_reaches_100k_people_and_a_million_contact_rows():
    big = generate(7, 66.0)
    assert len(big.people) >= 100_000
    log = pd.concat(big.contacts.values())
    assert len(log) >= 1_000_000
    assert len(big.alumni) >= 66 * 1100
    assert (big.roster["kind"] == "resident").sum() == 66 * 90
    assert big.pubmed_xml.count("<PubmedArticle>") == 66 * 3000
    dates = log["date"][log["date"].str.len() == 10]
    assert (dates > END).sum() == 1
    assert log["person_a"].ne("").all()
