"""graph.sources.pubmed: PubMed files to publications, authorships and people, checked against the XML itself."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import etree

from graph.model import Authorship, Person, narrow, stable_id
from graph.resolution.resolver import Resolver
from graph.sources.batch import Batch
from graph.sources.pubmed import build_pubmed, institution_name
from graph.sources.tabular import normalise_header
from graph.store.sqlite_store import SqliteStore
from pipelines.ingest_flow import write_batch

DATA = Path(__file__).parent / "data" / "pubmed"
SEVEN_XML = DATA / "pubmed_result_7records.xml"
SEVEN_TXT = DATA / "pubmed_result_7records.txt"
AT = "2025-01-01T00:00:00+00:00"


def xml_articles(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).getroot().xpath("//PubmedArticle")


def personal_authors(article: etree._Element) -> list[etree._Element]:
    return article.xpath("MedlineCitation/Article/AuthorList/Author[LastName]")


def pmids(path: Path) -> list[str]:
    return [a.xpath("string(MedlineCitation/PMID)") for a in xml_articles(path)]


def authorships(batch: Batch) -> dict[str, Authorship]:
    """A batch's authorships by id, however the batch holds them."""
    return {a.id: a for a in narrow(Authorship, batch.of_kind("authorship"))}


def pubmed_xml(body: str) -> str:
    return f'<?xml version="1.0"?>\n<PubmedArticleSet>\n{body}\n</PubmedArticleSet>\n'


def article_xml(pmid: str, authors: str, title: str = "A title") -> str:
    return f"""<PubmedArticle><MedlineCitation><PMID Version="1">{pmid}</PMID><Article>
<Journal><Title>J Test</Title><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>
<ArticleTitle>{title}</ArticleTitle><AuthorList>{authors}</AuthorList></Article></MedlineCitation></PubmedArticle>"""


def author_xml(last: str, initials: str, fore: str = "", affiliation: str = "") -> str:
    fore_el = f"<ForeName>{fore}</ForeName>" if fore else ""
    aff = f"<AffiliationInfo><Affiliation>{affiliation}</Affiliation></AffiliationInfo>" if affiliation else ""
    return f"<Author><LastName>{last}</LastName>{fore_el}<Initials>{initials}</Initials>{aff}</Author>"


# -- the seven real records ---------------------------------------------------


def test_seven_records_counts_from_the_xml():
    articles = xml_articles(SEVEN_XML)
    n_entries = sum(len(personal_authors(a)) for a in articles)
    keys = {f"{au.findtext('LastName')} {au.findtext('Initials')}" for a in articles for au in personal_authors(a)}
    assert (len(articles), n_entries, len(keys)) == (7, 38, 37)  # the README's figures

    batch = build_pubmed(SEVEN_XML, Resolver([]), ingested_at=AT)

    assert batch.read == len(articles)
    assert batch.rejections == []
    assert sorted(batch.records["publication"]) == sorted(f"pmid-{p}" for p in pmids(SEVEN_XML))
    assert len(authorships(batch)) == n_entries
    assert len(batch.records["person"]) == len(keys)


@pytest.mark.parametrize("path", [SEVEN_XML, DATA / "biopython" / "pubmed4.xml"], ids=lambda p: p.name)
def test_publication_fields_and_provenance_follow_the_xml(path):
    batch = build_pubmed(path, Resolver([]), ingested_at=AT)
    for number, art in enumerate(xml_articles(path), 1):
        pmid = art.xpath("string(MedlineCitation/PMID)")
        pub = batch.records["publication"][f"pmid-{pmid}"]
        assert pub.pmid == pmid
        assert pub.title == " ".join(art.xpath("string(MedlineCitation/Article/ArticleTitle)").split())
        assert pub.journal == art.xpath("string(MedlineCitation/Article/Journal/Title)")
        pub_date = art.xpath("normalize-space(MedlineCitation/Article/Journal/JournalIssue/PubDate)")
        assert pub.year == int(pub_date[:4])  # "2018 Jun", "2018 Jan-Dec"
        mesh = art.xpath("MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName/text()")
        assert pub.mesh == "; ".join(mesh)
        assert (pub.source, pub.file, pub.row, pub.ingested_at) == ("pubmed", path.name, number, AT)
    if path.name == "pubmed4.xml":
        assert len(batch.records["publication"]["pmid-" + pmids(path)[0]].mesh.split("; ")) == 21


def test_authorships_follow_the_byline():
    batch = build_pubmed(SEVEN_XML, Resolver([]), ingested_at=AT)
    people = batch.records["person"]
    for art in xml_articles(SEVEN_XML):
        pmid = art.xpath("string(MedlineCitation/PMID)")
        authors = personal_authors(art)
        for position, au in enumerate(authors, 1):
            a = authorships(batch)[stable_id("au", pmid, position)]
            assert (a.publication, a.position, a.n_authors) == (f"pmid-{pmid}", position, len(authors))
            first_aff = au.xpath("string(AffiliationInfo[1]/Affiliation)")
            assert a.affiliation == " ".join(first_aff.split())
            assert people[a.person].name.split()[-1] == au.findtext("LastName")


def test_orcid_bearing_authors_carry_their_orcid():
    tree = etree.parse(str(SEVEN_XML))
    with_orcid = tree.xpath("//Author[Identifier[@Source='ORCID']]")
    assert len(with_orcid) == 1  # the README: 1 ORCID
    batch = build_pubmed(SEVEN_XML, Resolver([]), ingested_at=AT)
    by_name = {p.name: p for p in batch.records["person"].values()}
    for au in with_orcid:
        orcid = au.findtext("Identifier").rsplit("/", 1)[-1]
        person = by_name[f"{au.findtext('ForeName')} {au.findtext('LastName')}"]
        assert person.orcid == orcid
        assert person.id == stable_id("p", "orcid", orcid)
    assert sum(p.orcid is not None for p in batch.records["person"].values()) == len(with_orcid)


def test_xml_then_medline_of_the_same_records_adds_nothing(tmp_path):
    resolver = Resolver([])
    first = build_pubmed(SEVEN_XML, resolver, ingested_at=AT)
    second = build_pubmed(SEVEN_TXT, resolver, ingested_at=AT)

    assert set(second.records["publication"]) == set(first.records["publication"])
    assert set(authorships(second)) == set(authorships(first))
    for aid, a in authorships(first).items():
        assert authorships(second)[aid].person == a.person
    assert set(second.records["person"]) == set(first.records["person"])

    store = SqliteStore(tmp_path / "x.db")
    write_batch.fn(first, store)
    before = store.counts()
    write_batch.fn(second, store)
    assert store.counts() == before
    assert before["publication"] == 7 and before["authorship"] == 38 and before["person"] == 37
    store.close()


# -- people and institutions --------------------------------------------------


def test_medline_initials_merge_with_a_roster_person(tmp_path):
    roster = Person(id="p-ana", name="Ana Ruiz", email="ana.ruiz@example.org", kind="faculty")
    path = tmp_path / "pubmed.xml"
    path.write_text(pubmed_xml(article_xml("111", author_xml("Ruiz", "A") + author_xml("Okafor", "C", "Chidi"))))
    resolver = Resolver([roster])

    batch = build_pubmed(path, resolver, ingested_at=AT)

    first = authorships(batch)[stable_id("au", "111", 1)]
    assert first.person == "p-ana"
    ana = batch.records["person"]["p-ana"]
    assert (ana.name, ana.email, ana.kind) == ("Ana Ruiz", "ana.ruiz@example.org", "faculty")
    second = authorships(batch)[stable_id("au", "111", 2)]
    assert second.person != "p-ana"
    assert batch.records["person"][second.person].file == "pubmed.xml"


def test_two_roster_people_with_the_same_initial_are_not_guessed(tmp_path):
    roster = [Person(id="p-ana", name="Ana Ruiz"), Person(id="p-alb", name="Alberto Ruiz")]
    path = tmp_path / "pubmed.xml"
    path.write_text(pubmed_xml(article_xml("112", author_xml("Ruiz", "A"))))
    batch = build_pubmed(path, Resolver(roster), ingested_at=AT)
    assert authorships(batch)[stable_id("au", "112", 1)].person not in {"p-ana", "p-alb"}


@pytest.mark.parametrize(
    ("affiliation", "expected"),
    [
        ("Physical Therapy Clinic, Weed Army Community Hospital, Fort Irwin, CA, USA.", "Weed Army Community Hospital"),
        ("Eisenhower Army Medical Center, Fort Gordon, GA, USA.", "Eisenhower Army Medical Center"),
        (
            "From the Department of Cardiology and Neurology, College of Korean Medicine, Kyung Hee University, "
            "Seoul, South Korea. kkokkottung@hanmail.net.",
            "Kyung Hee University",
        ),
        (
            "1 Department of Acupuncture and Moxibustion, Beijing Hospital of Traditional Chinese Medicine, "
            "Capital Medical University, Beijing, China.",
            "Beijing Hospital of Traditional Chinese Medicine",
        ),
        ("Mendoza Physical Therapy Clinic, Fort Bliss, TX, USA.", "Mendoza Physical Therapy Clinic"),
        ("Division of Hospital Medicine; Mayo Clinic, Rochester, MN", "Mayo Clinic"),
        ("Department of Hospital Medicine, Chicago, IL", None),
        ("Department of Medicine, Chicago, IL, USA.", None),
        ("", None),
    ],
)
def test_institution_name(affiliation, expected):
    assert institution_name(affiliation) == expected


def test_authors_get_the_institution_of_their_affiliation():
    batch = build_pubmed(SEVEN_XML, Resolver([]), ingested_at=AT)
    insts = batch.records["institution"]
    assert stable_id("inst", normalise_header("Kyung Hee University")) in insts
    kwon = next(p for p in batch.records["person"].values() if p.name == "Seungwon Kwon")
    assert insts[kwon.institution_id].name == "Kyung Hee University"


def test_known_institutions_win_over_new_ones():
    known = {"Rush University Medical Center": "inst-rush-mc", "Rush University": "inst-rush"}
    batch = build_pubmed(SEVEN_XML, Resolver([]), ingested_at=AT, institutions=known)
    people = {p.name: p for p in batch.records["person"].values()}
    assert people["Ke Li"].institution_id == "inst-rush-mc"  # the longest known name
    assert people["Jialing Jiang"].institution_id == "inst-rush"
    names = {i.name for i in batch.records["institution"].values()}
    assert "Rush University" not in names and "Rush University Medical Center" not in names


# -- bad records and deletions --------------------------------------------------


def test_a_record_without_pmid_is_rejected_and_the_rest_land(tmp_path):
    tree = etree.parse(str(SEVEN_XML))
    articles = tree.getroot().xpath("//PubmedArticle")
    third = articles[2]
    pmid_el = third.find("MedlineCitation/PMID")
    lost_pmid = pmid_el.text
    pmid_el.getparent().remove(pmid_el)
    path = tmp_path / "broken.xml"
    tree.write(str(path), xml_declaration=True, encoding="utf-8")
    n_authors = sum(len(personal_authors(a)) for a in articles)

    batch = build_pubmed(path, Resolver([]), ingested_at=AT)

    assert batch.read == 7
    assert [(r.file, r.row, r.field) for r in batch.rejections] == [("broken.xml", 3, "record")]
    assert "no PMID" in batch.rejections[0].reason
    assert batch.landed == 6
    assert f"pmid-{lost_pmid}" not in batch.records["publication"]
    assert len(batch.records["publication"]) == 6
    assert len(authorships(batch)) == n_authors - len(personal_authors(third))


def test_delete_citation_removes_a_publication_and_its_authorships(tmp_path):
    victim = pmids(SEVEN_XML)[0]
    n_victim = len(personal_authors(xml_articles(SEVEN_XML)[0]))
    deletion = tmp_path / "update.xml"
    deletion.write_text(pubmed_xml(f'<DeleteCitation><PMID Version="1">{victim}</PMID></DeleteCitation>'))
    store = SqliteStore(tmp_path / "x.db")
    resolver = Resolver([])

    write_batch.fn(build_pubmed(SEVEN_XML, resolver, ingested_at=AT), store)
    assert store.count("publication") == 7 and store.count("authorship") == 38
    batch = build_pubmed(deletion, resolver, ingested_at=AT)
    assert dict(batch.deletions) == {"publication": [f"pmid-{victim}"]}
    assert batch.read == 0 and batch.rejections == []
    write_batch.fn(batch, store)

    assert store.count("publication") == 6
    assert store.find("publication", "id", [f"pmid-{victim}"]) == []
    assert store.find("authorship", "publication", [f"pmid-{victim}"]) == []
    assert store.count("authorship") == 38 - n_victim
    write_batch.fn(batch, store)  # a retried write changes nothing
    assert store.count("authorship") == 38 - n_victim
    store.close()


def test_an_article_withdrawn_later_in_the_same_file_does_not_land(tmp_path):
    path = tmp_path / "update.xml"
    body = article_xml("201", author_xml("Ng", "K", "Kim")) + article_xml("202", author_xml("Osei", "A", "Ama"))
    path.write_text(pubmed_xml(body + '<DeleteCitation><PMID Version="1">201</PMID></DeleteCitation>'))
    batch = build_pubmed(path, Resolver([]), ingested_at=AT)
    assert list(batch.records["publication"]) == ["pmid-202"]
    assert [a.publication for a in authorships(batch).values()] == ["pmid-202"]
    assert batch.deletions["publication"] == ["pmid-201"]


def test_biopython_collective_author_is_not_a_person():
    path = DATA / "biopython" / "pubmed7.xml"
    tree = etree.parse(str(path))
    personal = tree.xpath("//AuthorList/Author[LastName]")
    collective = tree.xpath("//AuthorList/Author[CollectiveName]/CollectiveName/text()")
    batch = build_pubmed(path, Resolver([]), ingested_at=AT)
    assert len(authorships(batch)) == len(personal)
    names = {p.name for p in batch.records["person"].values()}
    assert not names & set(collective)
    orcids = {t.rsplit("/", 1)[-1] for t in tree.xpath("//Author/Identifier[@Source='ORCID']/text()")}
    assert {p.orcid for p in batch.records["person"].values() if p.orcid} == orcids


def test_a_medline_record_without_pmid_is_rejected_with_its_number(tmp_path):
    text = SEVEN_TXT.read_bytes().decode("utf-8")
    records = [r for r in text.replace("\r\n", "\n").split("\n\n") if r.strip()]
    assert len(records) == 7
    records[1] = "\n".join(line for line in records[1].split("\n") if not line.startswith("PMID-"))
    path = tmp_path / "broken.txt"
    path.write_text("\n\n".join(records) + "\n", encoding="utf-8")

    batch = build_pubmed(path, Resolver([]), ingested_at=AT)

    assert (batch.read, batch.landed) == (7, 6)
    assert [(r.row, r.field) for r in batch.rejections] == [(2, "record")]
    assert f"pmid-{pmids(SEVEN_XML)[1]}" not in batch.records["publication"]
    rows = sorted(p.row for p in batch.records["publication"].values())
    assert rows == [1, 3, 4, 5, 6, 7]


def test_gzip_gives_the_same_records(tmp_path):
    gz = tmp_path / "seven.xml.gz"
    gz.write_bytes(gzip.compress(SEVEN_XML.read_bytes()))
    plain = build_pubmed(SEVEN_XML, Resolver([]), ingested_at=AT)
    packed = build_pubmed(gz, Resolver([]), ingested_at=AT)
    for kind in ("publication", "authorship", "person", "institution"):
        assert {r.id for r in packed.of_kind(kind)} == {r.id for r in plain.of_kind(kind)}
