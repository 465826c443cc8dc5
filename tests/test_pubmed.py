"""graph.sources.pubmed (the reader) against real PubMed files and the counts in their README."""

from __future__ import annotations

import gzip
import itertools
import random
import re
import socket
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from graph.errors import InputError
from graph.model import mention_key
from graph.resolution.resolver import Alias, Mention, Resolver
from graph.sources.pubmed import Article, Author, Deletion, build_pubmed, detect_format, iter_records, pubmed_mentions

DATA = Path(__file__).parent / "data" / "pubmed"
SEVEN_XML = DATA / "pubmed_result_7records.xml"
SEVEN_TXT = DATA / "pubmed_result_7records.txt"


def articles(path: Path) -> list[Article]:
    records = list(iter_records(path))
    assert all(isinstance(r, Article) for r in records)
    return records  # type: ignore[return-value]


def coauthor_graph(records: list[Article]) -> nx.Graph:
    G = nx.Graph()
    for article in records:
        keys = sorted({a.key for a in article.authors})
        G.add_nodes_from(keys)
        G.add_edges_from(itertools.combinations(keys, 2))
    return G


# -- the README table ---------------------------------------------------------

# file, format, records, personal authors, affiliations (realdata/README.md).
# pubmed7's 9 author entries are 8 persons + 1 CollectiveName, which is excluded.
COUNTS = [
    ("pubmed_result_7records.xml", "pubmed-xml", 7, 38, 40),
    ("pubmed_result_7records.txt", "medline", 7, 38, 40),
    ("pubmed-29768149.xml", "pubmed-xml", 1, 10, 10),
    ("biopython/pubmed1.xml", "pubmed-xml", 2, 2, 0),
    ("biopython/pubmed2.xml", "pubmed-xml", 2, 14, 2),
    ("biopython/pubmed4.xml", "pubmed-xml", 1, 22, 38),
    ("biopython/pubmed5.xml", "pubmed-xml", 1, 12, 14),
    ("biopython/pubmed6.xml", "pubmed-xml", 1, 2, 2),
    ("biopython/pubmed7.xml", "pubmed-xml", 1, 9 - 1, 15),
    ("biopython/pubmed_result1.txt", "medline", 1, 1, 1),
    ("biopython/pubmed_result2.txt", "medline", 4, 13, 4),
    ("biopython/pubmed_result3.txt", "medline", 1, 4, 1),
]


def test_counts_cover_every_data_file():
    on_disk = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.*")}
    assert on_disk - {"README.md"} == {row[0] for row in COUNTS}


@pytest.mark.parametrize(("name", "fmt", "n_records", "n_authors", "n_affil"), COUNTS)
def test_readme_counts(name, fmt, n_records, n_authors, n_affil):
    path = DATA / name
    records = articles(path)
    assert detect_format(path) == fmt
    assert len(records) == n_records
    assert sum(len(r.authors) for r in records) == n_authors
    assert sum(len(a.affiliations) for r in records for a in r.authors) == n_affil
    assert [r.record for r in records] == list(range(1, n_records + 1))
    for r in records:
        assert r.pmid.isdigit()
        assert [a.position for a in r.authors] == list(range(1, len(r.authors) + 1))


@pytest.mark.parametrize(
    ("name", "nodes", "edges", "components", "lcc"),
    [
        ("pubmed_result_7records.xml", 37, 132, 6, 13),
        ("pubmed_result_7records.txt", 37, 132, 6, 13),
        ("pubmed-29768149.xml", 10, 45, 1, 10),
        ("biopython/pubmed4.xml", 22, 231, 1, 22),
        ("biopython/pubmed_result2.txt", 13, 16, 4, None),
    ],
)
def test_coauthor_graph_matches_readme(name, nodes, edges, components, lcc):
    G = coauthor_graph(articles(DATA / name))
    assert (G.number_of_nodes(), G.number_of_edges()) == (nodes, edges)
    assert nx.number_connected_components(G) == components
    if lcc is not None:
        assert len(max(nx.connected_components(G), key=len)) == lcc


def test_seven_records_identical_in_xml_and_medline():
    xml, txt = articles(SEVEN_XML), articles(SEVEN_TXT)
    assert [r.pmid for r in xml][0] == "30038950"
    assert xml == txt  # every field: titles, journals, years, authors, affiliations
    gx, gt = coauthor_graph(xml), coauthor_graph(txt)
    assert set(gx.nodes) == set(gt.nodes)
    assert {frozenset(e) for e in gx.edges} == {frozenset(e) for e in gt.edges}


def test_seven_records_repeat_one_name_key():
    keys = [a.key for r in articles(SEVEN_XML) for a in r.authors]
    assert len(keys) - len(set(keys)) == 1  # 38 entries, 37 nodes


@pytest.mark.parametrize(
    "name",
    [
        "pubmed_result_7records.txt",
        "biopython/pubmed_result1.txt",
        "biopython/pubmed_result2.txt",
        "biopython/pubmed_result3.txt",
    ],
)
def test_medline_key_is_the_au_line(name):
    text = (DATA / name).read_text()
    au_lines = re.findall(r"^AU  - (.*?)\s*$", text, flags=re.MULTILINE)
    assert [a.key for r in articles(DATA / name) for a in r.authors] == au_lines


def test_xml_key_is_last_name_and_initials():
    first = articles(SEVEN_XML)[0].authors[0]
    assert first == Author(
        last_name="Dong",
        fore_name="XinQi",
        initials="X",
        affiliations=("Rush University, Chicago, IL, USA.",),
        orcid=None,
        position=1,
    )
    assert first.key == "Dong X"


def test_collective_author_excluded():
    (record,) = articles(DATA / "biopython/pubmed7.xml")
    text = (DATA / "biopython/pubmed7.xml").read_text()
    assert text.count("<CollectiveName>") == 1
    assert text.count("<LastName>") == len(record.authors) == 8
    assert all("Network" not in a.key for a in record.authors)


def test_orcids_normalised():
    (record,) = articles(DATA / "biopython/pubmed7.xml")
    orcids = [a.orcid for a in record.authors if a.orcid]
    assert orcids == ["0000-0002-4590-7461", "0000-0003-3525-2788"]
    for path in (SEVEN_XML, SEVEN_TXT):
        found = [a.orcid for r in articles(path) for a in r.authors if a.orcid]
        assert found == ["0000-0001-8031-5667"]


def test_year_from_medline_date_and_pubdate():
    xml = articles(SEVEN_XML)
    assert xml[0].year == 2018  # <MedlineDate>2018 Jan-Dec</MedlineDate>
    assert [r.year for r in articles(DATA / "biopython/pubmed1.xml")] == [1990, 1976]


def test_medline_mesh_main_headings():
    first = articles(DATA / "biopython/pubmed_result2.txt")[0]
    assert first.mesh == (
        "Database Management Systems",
        "Databases, Protein",
        "Information Storage and Retrieval",
        "Programming Languages",
        "Sequence Alignment",
        "Sequence Analysis, Protein",
        "Sequence Homology, Amino Acid",
        "Software",
        "User-Computer Interface",
    )
    assert first.journal == "BMC bioinformatics"
    assert first.title == "A high level interface to SCOP and ASTRAL implemented in python."


def test_xml_mesh_descriptor_names():
    (record,) = articles(DATA / "biopython/pubmed4.xml")
    tree = etree.parse(str(DATA / "biopython/pubmed4.xml"))
    names = [" ".join(d.text.split()) for d in tree.iter("DescriptorName")]
    assert record.mesh == tuple(names)
    assert len(names) > 0


def test_medline_leading_ad_goes_to_first_author():
    first = articles(DATA / "biopython/pubmed_result2.txt")[0]
    assert [a.key for a in first.authors] == ["Casbon JA", "Crooks GE", "Saqi MA"]
    assert first.authors[0].affiliations == (
        "Bioinformatics, Institute of Cell and Molecular Science, School of Medicine "
        "and Dentistry, Queen Mary, University of London, London EC1 6BQ, UK. "
        "j.a.casbon@qmul.ac.uk",
    )
    assert first.authors[1].affiliations == ()
    assert first.authors[2].fore_name == "Mansoor A S"


# -- layouts, compression, encodings ----------------------------------------


@pytest.mark.parametrize("source", [SEVEN_XML, SEVEN_TXT])
def test_gzip_detected_by_magic_bytes(tmp_path, source):
    packed = tmp_path / "no-gz-suffix.dat"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    assert detect_format(packed) == detect_format(source)
    assert list(iter_records(packed)) == list(iter_records(source))


def test_bom_and_lf_variants(tmp_path):
    bom_xml = tmp_path / "bom.xml"
    bom_xml.write_bytes(b"\xef\xbb\xbf" + SEVEN_XML.read_bytes())
    lf_txt = tmp_path / "lf.txt"
    lf_txt.write_bytes(b"\xef\xbb\xbf" + SEVEN_TXT.read_bytes().replace(b"\r\n", b"\n"))
    assert detect_format(bom_xml) == "pubmed-xml"
    assert detect_format(lf_txt) == "medline"
    assert articles(bom_xml) == articles(lf_txt) == articles(SEVEN_XML)


def test_latin1_medline_is_decoded(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(SEVEN_TXT.read_bytes().replace(b"Rush University", "Université Rush".encode("latin-1")))
    first = articles(latin)[0]
    assert first.authors[0].affiliations == ("Université Rush, Chicago, IL, USA.",)


def _citations(path: Path) -> list[bytes]:
    tree = etree.parse(str(path))
    return [etree.tostring(c) for c in tree.iter("MedlineCitation")]


def test_medline_citation_set_with_delete_citation(tmp_path):
    cites = _citations(DATA / "pubmed-29768149.xml") + _citations(SEVEN_XML)[:1]
    path = tmp_path / "medline17n0001.xml"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE MedlineCitationSet PUBLIC '
        b'"-//NLM//DTD Medline Citation, 1st January, 2017//EN" '
        b'"https://www.nlm.nih.gov/databases/dtd/nlmmedlinecitationset_170101.dtd">\n'
        b"<MedlineCitationSet>\n"
        + b"\n".join(cites)
        + b"\n<DeleteCitation><PMID>111</PMID><PMID>222</PMID></DeleteCitation>\n"
        b"</MedlineCitationSet>\n"
    )
    records = list(iter_records(path))
    assert [type(r) for r in records] == [Article, Article, Deletion]
    assert [r.pmid for r in records[:2]] == ["29768149", "30038950"]
    assert [r.record for r in records[:2]] == [1, 2]
    assert len(records[0].authors) == 10
    assert records[1].authors == articles(SEVEN_XML)[0].authors
    assert records[2] == Deletion(("111", "222"))


def test_delete_citation_inside_pubmed_article_set(tmp_path):
    path = tmp_path / "update.xml"
    text = SEVEN_XML.read_text()
    path.write_text(
        text.replace(
            "</PubmedArticleSet>",
            "<DeleteCitation><PMID Version='1'>42</PMID></DeleteCitation></PubmedArticleSet>",
        )
    )
    records = list(iter_records(path))
    assert len(records) == 8
    assert records[-1] == Deletion(("42",))


def test_old_article_affiliation_and_invalid_author(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
        "<ArticleTitle>Old <i>style</i></ArticleTitle>"
        "<Journal><JournalIssue><PubDate><Year>1999</Year></PubDate></JournalIssue>"
        "<Title>J</Title></Journal>"
        "<Affiliation>Dept A, Town.</Affiliation><AuthorList>"
        "<Author ValidYN='N'><LastName>Smiht</LastName><Initials>J</Initials></Author>"
        "<Author><LastName>Smith</LastName><ForeName>Jane Ann</ForeName></Author>"
        "<Author><LastName>Roe</LastName><Initials>R</Initials>"
        "<Affiliation>Dept B.</Affiliation></Author>"
        "</AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    (record,) = articles(path)
    assert record.title == "Old style"
    assert record.year == 1999
    assert [(a.key, a.affiliations, a.position) for a in record.authors] == [
        ("Smith JA", ("Dept A, Town.",), 1),
        ("Roe R", ("Dept B.",), 2),
    ]


def test_medline_collective_orcid_forms_and_several_ad(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text(
        "PMID- 1\nTI  - A title\n      continued.\nDP  - 1998 Dec-1999 Jan\n"
        "FAU - Carberry, Josiah\nAU  - Carberry J\n"
        "AUID- ORCID: http://orcid.org/0000-0002-1825-0097\n"
        "AD  - Brown University.\nAD  - Psychoceramics Institute.\n"
        "CN  - Some Consortium\nAD  - Consortium office.\n"
        "AU  - Kellogg DL Jr\nAUID- ORCID: 0000000218250098\n"
        "MH  - Humans\nMH  - *Neoplasms/*therapy\nTA  - J Abbr\n\n"
        "PMID- 2\nFAU - Roe, Rita\nAU  - Roe R\nAUID- ORCID: 0000-0002-1825-009X\n"
    )
    first, second = articles(path)
    assert first.title == "A title continued."
    assert first.year == 1998
    assert first.journal == "J Abbr"
    assert first.mesh == ("Humans", "Neoplasms")
    carberry, kellogg = first.authors
    assert carberry.orcid == "0000-0002-1825-0097"
    assert carberry.affiliations == ("Brown University.", "Psychoceramics Institute.")
    assert (kellogg.key, kellogg.last_name, kellogg.orcid) == (
        "Kellogg DL Jr",
        "Kellogg",
        None,
    )
    assert kellogg.affiliations == ()  # the AD after CN is the consortium's
    assert second.authors[0].orcid is None  # checksum fails
    assert second.record == 2


# -- safety -------------------------------------------------------------------


def test_dtd_url_and_external_entities_are_not_fetched(tmp_path):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.setblocking(False)
        port = server.getsockname()[1]
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET")
        path = tmp_path / "entities.xml"
        path.write_text(
            '<?xml version="1.0"?>\n'
            '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD x//EN"'
            f' "http://127.0.0.1:{port}/pubmed.dtd" [\n'
            f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n'
            f'<!ENTITY net SYSTEM "http://127.0.0.1:{port}/e.txt">\n'
            '<!ENTITY a "aaaaaaaaaa">\n'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
            "<Article><ArticleTitle>&xxe; &net; &c;</ArticleTitle></Article>"
            "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
        )
        (record,) = articles(path)
        with pytest.raises(BlockingIOError):
            server.accept()
    assert "TOP-SECRET" not in record.title
    assert "aaaaaaaaaa" not in record.title


def test_doctype_dtd_is_not_read(tmp_path):
    # This libxml2 build may lack an HTTP client, so prove it on a local DTD:
    # reading this one would fail the parse.
    dtd = tmp_path / "pubmed_180601.dtd"
    dtd.write_text("<!ELEMENT this is not a DTD")
    path = tmp_path / "pubmed.xml"
    path.write_bytes(
        SEVEN_XML.read_bytes().replace(
            b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_180601.dtd"',
            f'"{dtd.as_uri()}"'.encode(),
        )
    )
    assert dtd.as_uri().encode() in path.read_bytes()
    assert articles(path) == articles(SEVEN_XML)


# -- errors -------------------------------------------------------------------


def test_truncated_xml_names_file_and_line(tmp_path):
    path = tmp_path / "pubmed.xml"
    data = SEVEN_XML.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"^pubmed\.xml line \d+: .*after record 3"):
        list(iter_records(path))


def test_truncated_gzip_names_file(tmp_path):
    path = tmp_path / "pubmed.xml.gz"
    path.write_bytes(gzip.compress(SEVEN_XML.read_bytes())[:-50])
    with pytest.raises(InputError, match=r"^pubmed\.xml\.gz: cannot read"):
        list(iter_records(path))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\r\n", "empty file"),
        (random.Random(7).randbytes(4096), "neither PubMed XML nor MEDLINE"),
        (b"<html><body>PubmedArticle</body></html>", "root element <html>"),
        (b"\x1f\x8b\x08\x00garbage", "cannot read"),
    ],
)
def test_unusable_files_raise_at_once(tmp_path, content, reason):
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"^upload\.bin: .*{re.escape(reason)}"):
        iter_records(path)
    with pytest.raises(InputError, match=r"^upload\.bin: "):
        detect_format(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"^nothing\.xml: cannot open"):
        iter_records(tmp_path / "nothing.xml")


@pytest.mark.parametrize(
    ("source", "old", "new", "message"),
    [
        (
            SEVEN_XML,
            b'<PMID Version="1">30038950</PMID>',
            b"",
            r"^bad record 1, line 5: no PMID$",
        ),
        (SEVEN_TXT, b"PMID- 30038950\r\n", b"", r"^bad record 1, line 2: no PMID$"),
        (
            SEVEN_TXT,
            b"LA  - eng",
            b"garbage",
            r"^bad record 1, line 39: not a MEDLINE field",
        ),
    ],
)
def test_bad_record_raises_or_is_collected(tmp_path, source, old, new, message):
    path = tmp_path / "bad"
    path.write_bytes(source.read_bytes().replace(old, new, 1))
    with pytest.raises(InputError, match=message):
        list(iter_records(path))
    errors: list[InputError] = []
    records = list(iter_records(path, errors=errors))
    assert [r.pmid for r in records] == [r.pmid for r in articles(source)[1:]]
    assert [r.record for r in records] == list(range(2, 8))
    assert len(errors) == 1
    assert re.search(message, str(errors[0]))


# -- hypothesis: nothing but InputError escapes --------------------------------

PREFIXES = [
    b"",
    b"\x1f\x8b",
    b"\xef\xbb\xbf",
    b'<?xml version="1.0"?>\n<PubmedArticleSet>',
    b"<MedlineCitationSet><MedlineCitation><PMID>1</PMID>",
    b"<PubmedArticleSet><DeleteCitation>",
    b"PMID- 1\r\n",
    b"PMID- 1\nFAU - Doe, J\nAU  - Doe J\nAD  - ",
]
REAL = [SEVEN_XML.read_bytes(), SEVEN_TXT.read_bytes()]


def _parse_only_input_errors(data: bytes, *, compress: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.dat"
        path.write_bytes(gzip.compress(data) if compress else data)
        for errors in (None, []):
            try:
                records = list(iter_records(path, errors=errors))
            except InputError as exc:
                assert str(exc).startswith("fuzz.dat")
            else:
                assert all(isinstance(r, Article | Deletion) for r in records)
            if errors:
                assert all(isinstance(e, InputError) for e in errors)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=400) | st.text(max_size=400).map(str.encode),
    compress=st.booleans(),
)
def test_arbitrary_bytes_raise_only_input_error(prefix, body, compress):
    _parse_only_input_errors(prefix + body, compress=compress)


@settings(max_examples=150, deadline=None)
@given(
    which=st.sampled_from([0, 1]),
    cut=st.integers(min_value=0, max_value=60_000),
    insert=st.binary(max_size=20),
    compress=st.booleans(),
)
def test_damaged_real_files_raise_only_input_error(which, cut, insert, compress):
    data = REAL[which]
    cut = min(cut, len(data))
    _parse_only_input_errors(data[:cut] + insert + data[cut + len(insert) :], compress=compress)


# -- the mentions a run collects before resolving --------------------------------


class _Asked(Resolver):
    """A resolver that records what a build asks it (the oracle: the build itself)."""

    def __init__(self, aliases: list[Alias] | None = None) -> None:
        super().__init__([], aliases)
        self.asked: list[Mention] = []

    def resolve(self, mention: Mention) -> str:
        self.asked.append(mention)
        return f"p-{len(self.asked)}"


MENTION_FILES = [*(DATA / row[0] for row in COUNTS), Path(__file__).parents[1] / "data" / "sample" / "pubmed.xml"]


@pytest.mark.parametrize("path", MENTION_FILES, ids=lambda p: p.name)
def test_pubmed_mentions_are_what_the_build_asks(path):
    built = _Asked()
    build_pubmed(path, built, ingested_at="2026-01-01T00:00:00+00:00")
    assert built.asked  # every file names people
    assert pubmed_mentions(path, _Asked()) == built.asked
    assert pubmed_mentions(path, _Asked(), parsed=list(iter_records(path))) == built.asked


def test_pubmed_mentions_leave_out_a_pinned_writing_and_repeats(tmp_path):
    path = tmp_path / "pinned.xml"
    author = "<Author><LastName>{}</LastName><ForeName>{}</ForeName></Author>"
    path.write_text(
        "<PubmedArticleSet>"
        + "".join(
            f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><AuthorList>"
            + "".join(author.format(last, fore) for last, fore in names)
            + "</AuthorList></Article></MedlineCitation></PubmedArticle>"
            for pmid, names in ((1, [("Ruiz", "Ana"), ("Lee", "Bo")]), (2, [("Lee", "Bo"), ("Kim", "Jo")]), (3, []))
        )
        + "</PubmedArticleSet>"
    )
    pin = Alias("p-split", mention_key("pinned.xml", "Bo Lee", None, None, None, None, None), "mention")
    built = _Asked([pin])
    build_pubmed(path, built, ingested_at="2026-01-01T00:00:00+00:00")
    assert [m.name for m in built.asked] == ["Ana Ruiz", "Jo Kim"]  # by hand: Bo Lee pinned, given twice
    assert pubmed_mentions(path, _Asked([pin])) == built.asked
