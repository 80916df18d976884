"""Tests for plain-text clippings: our own clippings in the example's form, and variants."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from biotui.errors import SourceError
from biotui.model import article_id
from biotui.sources.clipping import first_sentence, parse_clipping, split_headline
from biotui.sources.credits import find_credit, is_credit_line
from biotui.sources.dates import parse_date
from biotui.sources.local import decode_text

from .helpers import DATA

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"


def clip(text: str, guid: str = "/news/clip.txt"):  # type: ignore[no-untyped-def]
    return parse_clipping(text, feed="Clippings", guid=guid, link="file:///news/clip.txt")


def read(name: str):  # type: ignore[no-untyped-def]
    return clip(decode_text((DATA / name).read_bytes()), guid=name)


# the fixture clippings ------------------------------------------------------------------------


def test_em_dash_clipping_with_source_line() -> None:
    article = read("leqembi-clipping.txt")
    assert (
        article.title == "FDA Converts Novel Alzheimer's Disease Treatment to Traditional Approval"
    )
    assert article.source == "U.S. Food and Drug Administration (press announcement)"
    assert article.section == "Neurology Briefing"
    assert article.place == "Silver Spring, Maryland"
    assert article.published == datetime(2023, 7, 1, tzinfo=UTC)
    assert article.credits == (
        "Photo by Lukas Brenner on Unsplash",
        "Photo: Marta Kowalska/Example Agency",
    )
    assert article.id == article_id("Clippings", "leqembi-clipping.txt")
    assert article.feed == "Clippings"
    assert article.link == "file:///news/clip.txt"


def test_body_is_lede_and_paragraphs_without_credits_or_source() -> None:
    body = read("leqembi-clipping.txt").body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Silver Spring, Maryland — The U.S. Food and Drug")
    assert paragraphs[-1].startswith("Medicare said on the same day")
    assert "ApoE ε4" in body
    assert "Unsplash" not in body
    assert "Photo" not in body
    assert "Source:" not in body


def test_en_dash_clipping() -> None:
    article = read("wegovy-clipping.txt")
    assert article.title.startswith("FDA approves first treatment to reduce risk")
    assert article.title.endswith("obesity or overweight")
    assert article.source == "U.S. FDA"
    assert article.section == "Cardiometabolic Desk"
    assert article.place == "Bagsværd, Denmark"
    assert article.published == datetime(2024, 3, 1, tzinfo=UTC)
    assert article.credits == ("Image credit: Sofia Marin", "Credit: Novo Nordisk media library")


def test_no_source_line_title_is_first_sentence_and_source_is_section() -> None:
    article = read("nobel-mrna-clipping.txt")
    assert article.title == (
        "Katalin Karikó and Drew Weissman won the 2023 Nobel Prize in Physiology or Medicine "
        "for discoveries about modified nucleosides that made mRNA vaccines against COVID-19 "
        "possible"
    )
    assert article.source == "Science Desk"
    assert article.section == "Science Desk"
    assert article.place == "Stockholm, Sweden"
    assert article.credits == ("Photo courtesy of Nobel Prize Outreach",)
    assert article.body.count("\n\n") == 2


def test_spaced_hyphen_clipping_full_date_and_foreign_credits() -> None:
    article = read("casgevy-clipping.txt")
    assert article.published == datetime(2023, 12, 8, tzinfo=UTC)
    assert article.section == "Gene Therapy Watch"
    assert article.place == "Boston, Massachusetts"
    assert article.title == "Vertex and CRISPR Therapeutics announce US FDA approval of Casgevy"
    assert article.source == "Vertex Pharmaceuticals (press release)"
    assert article.credits == (
        "Image: Priya Natarajan",
        "Fotografía: Lucía Gómez/Agencia Ejemplo",
        "Crédit photo : Claire Dubois",
        "Foto di Marco Rossi",
        "Imagen: Archivo",
    )
    assert "Lyfgenia" in article.body


def test_latin1_clipping_keeps_its_letters() -> None:
    raw = (DATA / "morphosys-latin1-clipping.txt").read_bytes()
    assert "München".encode("latin-1") in raw  # the fixture really is Latin-1
    article = read("morphosys-latin1-clipping.txt")
    assert article.place == "München, Germany"
    assert article.credits == ("Foto: Jürgen Weiß/dpa", "Bild: Archiv Grünwald")
    assert article.title == "Novartis to acquire MorphoSys for EUR 2.7bn"
    assert article.source == "Novartis (media release)"
    assert article.published == datetime(2024, 2, 1, tzinfo=UTC)


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples is not present")
def test_the_shared_example_clipping() -> None:
    article = clip(decode_text((EXAMPLES / "carsgen-clipping.txt").read_bytes()))
    assert article.title.startswith("CARsgen")
    assert article.title.endswith("Patient With Autoimmune Disease")
    assert article.source.startswith("PR Newswire / CARsgen Therapeutics")
    assert article.section == "Global Biotech News"
    assert article.place == "Shanghai, China / Global"
    assert article.published == datetime(2026, 2, 1, tzinfo=UTC)
    assert article.credits == (
        "Photo by Diane Serik on Unsplash",
        "Photo by Sangharsh Lohakare on Unsplash",
    )
    assert "KJ-C2219" in article.body
    assert "Unsplash" not in article.body


# lenient variants -----------------------------------------------------------------------------

BASE = (
    "June 2024 — Oncology Notes\n"
    "Chicago, Illinois — AstraZeneca and Daiichi Sankyo presented new data for Enhertu at the "
    "ASCO annual meeting. The results were discussed widely.\n"
    "A second paragraph about the antibody-drug conjugate.\n"
    "Photo: Elena Ruiz/Example Agency\n"
    "Source: Enhertu data presented at ASCO — Example Oncology Weekly\n"
)


def test_crlf_bom_and_blank_lines() -> None:
    plain = clip(BASE)
    messy = clip("\ufeff\r\n\r\n" + BASE.replace("\n", "\r\n\r\n\r\n") + "\r\n")
    assert messy.title == plain.title == "Enhertu data presented at ASCO"
    assert messy.body == plain.body
    assert messy.credits == plain.credits == ("Photo: Elena Ruiz/Example Agency",)
    assert messy.published == plain.published == datetime(2024, 6, 1, tzinfo=UTC)


def test_bom_bytes_utf16_and_cr_only() -> None:
    for data in (
        b"\xef\xbb\xbf" + BASE.encode(),
        BASE.encode("utf-16"),
        BASE.replace("\n", "\r").encode("utf-8"),
    ):
        article = clip(decode_text(data))
        assert article.section == "Oncology Notes"
        assert article.place == "Chicago, Illinois"


def test_missing_date_line() -> None:
    article = clip(BASE.split("\n", 1)[1])
    assert article.published is None
    assert article.section == ""
    assert article.place == "Chicago, Illinois"
    assert article.title == "Enhertu data presented at ASCO"
    assert article.source == "Example Oncology Weekly"


def test_section_only_first_line() -> None:
    article = clip("Oncology Notes\n" + BASE.split("\n", 1)[1])
    assert article.section == "Oncology Notes"
    assert article.published is None
    assert article.place == "Chicago, Illinois"


def test_missing_dateline() -> None:
    text = "June 2024 — Oncology Notes\nThe company said the drug met its goal. More later.\n"
    article = clip(text)
    assert article.place == ""
    assert article.title == "The company said the drug met its goal"
    assert article.source == "Oncology Notes"
    assert article.body.startswith("The company said")


def test_only_one_line() -> None:
    article = clip("Gilead completes acquisition of CymaBay Therapeutics")
    assert article.title == "Gilead completes acquisition of CymaBay Therapeutics"
    assert article.published is None


def test_source_line_without_dash() -> None:
    article = clip(BASE.replace("Source: Enhertu data presented at ASCO — Example Oncology Weekly",
                                "Source: Example Oncology Weekly"))  # fmt: skip
    assert article.title == "Example Oncology Weekly"
    assert article.source == "Oncology Notes"


def test_reversed_header_and_date_forms() -> None:
    assert clip("Oncology Notes — 3 June 2024\nBody.").published == datetime(2024, 6, 3, tzinfo=UTC)
    assert clip("2024-06-03 — Notes\nBody.").published == datetime(2024, 6, 3, tzinfo=UTC)
    assert clip("June 3, 2024 – Notes\nBody.").section == "Notes"


def test_em_dash_inside_the_source_headline() -> None:
    article = clip("June 2024 — N\nBody.\nSource: Lupus — a new frontier for CAR-T — STAT")
    assert article.title == "Lupus — a new frontier for CAR-T"
    assert article.source == "STAT"


def test_a_sentence_with_a_dash_is_not_a_dateline() -> None:
    article = clip("June 2024 — N\nThe FDA — citing safety data — approved the drug. More.")
    assert article.place == ""
    assert article.title == "The FDA — citing safety data — approved the drug"


def test_long_first_sentence_is_shortened() -> None:
    article = clip("June 2024 — N\nBoston — " + "word " * 80 + "end.")
    assert len(article.title) <= 201
    assert article.title.endswith("…")


def test_empty_clipping_raises() -> None:
    with pytest.raises(SourceError):
        clip(" \n\r\n\ufeff\n")


def test_same_guid_same_id() -> None:
    assert clip(BASE).id == clip(BASE.replace("second", "changed")).id


def test_body_text_is_escaped_markdown() -> None:
    article = clip("June 2024 — N\nBoston — Doses of *10 mg* were [given](x).\n# not a heading")
    assert "\\*10 mg\\*" in article.body
    assert "\\[given\\](x)" in article.body
    assert "\\# not a heading" in article.body


def test_huge_body_is_truncated_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from biotui.sources import markup

    monkeypatch.setattr(markup, "MAX_BODY_CHARS", 100)
    article = clip("June 2024 — N\n" + "A long paragraph about trials.\n" * 20)
    assert len(article.body) < 110
    assert article.notes and "truncated" in article.notes[0]


# credit lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Photo by Diane Serik on Unsplash",
        "Photo by Jane Doe",
        "Photo: Jane Doe/Reuters",
        "Photos: Company handout",
        "Image: Jane Doe",
        "Image credit: Jane Doe",
        "Image Credit: Jane Doe",
        "Photo credit: Jane Doe",
        "Credit: Jane Doe/AP",
        "Credits: Jane Doe",
        "Photo courtesy of Moderna",
        "Image courtesy of the University of Pennsylvania",
        "Courtesy of Vertex Pharmaceuticals",
        "Photograph: Jane Doe/The Guardian",
        "Illustration: Studio Example",
        "Foto: Max Mustermann/dpa",
        "Photo : Jean Dupont/AFP",
        "Bild: Archiv",
        "Bildnachweis: Firma",
        "Fotografía: Lucía Gómez",
        "Imagen: Archivo",
        "Crédit photo : Claire Dubois",
        "Crédito: Agencia",
        "Foto di Marco Rossi",
        "Foto de Ana Silva",
        "Immagine: Archivio",
        "© Example Agency",
        "(Photo: Jane Doe/Reuters)",
        "*Photo: Jane Doe*",
    ],
)
def test_credit_forms(line: str) -> None:
    assert is_credit_line(line)
    article = clip(f"June 2024 — N\nBoston — Lede sentence here.\n{line}\nAnother paragraph.")
    assert article.credits == (line.strip("()*"),)
    assert line.strip("()*") not in article.body


@pytest.mark.parametrize(
    "line",
    [
        "Photos of the new plant were shared by the company on Tuesday.",
        "Image analysis showed the tumours shrank.",
        "Credit Suisse analysts raised their price target.",
        "Courtesy calls to investors began on Monday.",
        "The photo: a reminder of the lab's early days, was shared widely.",
        "Imaging: MRI scans were read centrally.",
        "Photo " + "x" * 300 + ": too long to be a credit",
        "Courtesy of " + "the company's long explanation, " * 4,
    ],
)
def test_not_credit_lines(line: str) -> None:
    assert not is_credit_line(line)


def test_find_credit_in_captions() -> None:
    assert find_credit("A researcher at work. Photo: Lena Fischer/Agency") == (
        "Photo: Lena Fischer/Agency"
    )
    assert find_credit("Vials in a freezer (Credit: Tom Baker)") == "Credit: Tom Baker"
    assert find_credit("A caption with no credit at all.") == ""


# helpers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 2026", datetime(2026, 2, 1, tzinfo=UTC)),
        ("Feb. 2026", datetime(2026, 2, 1, tzinfo=UTC)),
        ("12 February 2026", datetime(2026, 2, 12, tzinfo=UTC)),
        ("February 12, 2026", datetime(2026, 2, 12, tzinfo=UTC)),
        ("February 12th, 2026", datetime(2026, 2, 12, tzinfo=UTC)),
        ("2026-02-12", datetime(2026, 2, 12, tzinfo=UTC)),
        ("2026-02", datetime(2026, 2, 1, tzinfo=UTC)),
        ("2026-02-12T10:30:00+01:00", datetime(2026, 2, 12, 9, 30, tzinfo=UTC)),
        ("2026-02-12 10:30:00Z", datetime(2026, 2, 12, 10, 30, tzinfo=UTC)),
        ("Thu, 12 Feb 2026 10:30:00 GMT", datetime(2026, 2, 12, 10, 30, tzinfo=UTC)),
        ("12. Februar 2026", datetime(2026, 2, 12, tzinfo=UTC)),
        ("12 février 2026", datetime(2026, 2, 12, tzinfo=UTC)),
        ("12 de febrero de 2026", datetime(2026, 2, 12, tzinfo=UTC)),
        ("marzo 2026", datetime(2026, 3, 1, tzinfo=UTC)),
        ("Global Biotech News", None),
        ("February 30, 2026", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_split_headline_at_the_last_separating_dash() -> None:
    assert split_headline("A - B – C — D") == ("A - B – C", "D")
    assert split_headline("A — B - C") == ("A — B", "C")
    assert split_headline("CAR-T works - STAT") == ("CAR-T works", "STAT")
    assert split_headline("Results for 2023–2024 – Wire") == ("Results for 2023–2024", "Wire")
    assert split_headline("Headline—Publisher") == ("Headline", "Publisher")
    assert split_headline("No dash here, nor in 2023–2024") == (
        "No dash here, nor in 2023–2024",
        "",
    )


def test_headline_with_an_em_dash_and_a_hyphen_before_the_publisher() -> None:
    article = clip(
        "February 2024 — Autoimmunity\nErlangen, Germany — Body.\n"
        "Source: CD19 CAR T-Cell Therapy in Autoimmune Disease — A Case Series with Follow-up"
        " - New England Journal of Medicine"
    )
    assert article.title == (
        "CD19 CAR T-Cell Therapy in Autoimmune Disease — A Case Series with Follow-up"
    )
    assert article.source == "New England Journal of Medicine"


def test_first_sentence_skips_abbreviations() -> None:
    text = (
        "CARsgen Therapeutics Holdings Ltd. said Dr. Li and J. Smith of the U.S. unit agreed. Next."
    )
    assert first_sentence(text) == (
        "CARsgen Therapeutics Holdings Ltd. said Dr. Li and J. Smith of the U.S. unit agreed"
    )
    assert first_sentence("Enrolment in Phase 1. Then more.") == "Enrolment in Phase 1"
    assert first_sentence("Is it safe? Yes.") == "Is it safe?"
