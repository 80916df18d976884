"""NCBI E-utilities answers to articles: esearch's JSON (the PMIDs a search finds) and
efetch's PubMed XML (one article per paper: title, journal, authors, date, abstract, PMID,
DOI).

NCBI's XML names NCBI's DTD in its DOCTYPE: that is expected and never warned about. The DTD
is never fetched and no entity is expanded: declarations are removed first
(:mod:`biotui.sources.xmlguard`), and ElementTree reads no external DTD.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_text
from biotui.sources.markup import escape_markdown, limit_body, text_to_markdown
from biotui.sources.result import FeedParseResult
from biotui.sources.xmlguard import strip_entity_declarations

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/"
_PMID = re.compile(r"\d{1,9}")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_MD_SPECIAL = re.compile(r"([\\`*_])")
"""What a DOI may hold that Markdown would read (its dots and slashes stay as they are)."""
_AUTHORS_SHOWN = 3
"""An article's ``author`` names this many authors, then "et al."; its body names all."""


def paper_link(pmid: str) -> str:
    """The paper's page on PubMed."""
    return f"{PUBMED_URL}{pmid}/"


def esearch_ids(data: bytes) -> list[str]:
    """The PMIDs of an esearch answer (``retmode=json``), in its order.

    Raises :class:`SourceError` for bytes that are not JSON, an answer without an id list, or
    an answer carrying NCBI's error message (given as the reason).
    """
    try:
        document: Any = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"esearch: not valid JSON: {clean_text(str(exc))[:200]}") from None
    message = esearch_error(document)
    if message:
        raise SourceError(f"esearch: {message}")
    result = document.get("esearchresult") if isinstance(document, dict) else None
    ids = result.get("idlist") if isinstance(result, dict) else None
    if not isinstance(ids, list):
        raise SourceError("esearch: not an E-utilities answer (no idlist)")
    return [str(pmid) for pmid in ids if isinstance(pmid, str) and _PMID.fullmatch(pmid)]


def esearch_error(document: Any) -> str:
    """NCBI's error message in a decoded esearch answer, or ``""``."""
    if not isinstance(document, dict):
        return ""
    result = document.get("esearchresult")
    error = result.get("ERROR") if isinstance(result, dict) else document.get("error")
    return clean_text(error)[:300] if isinstance(error, str) else ""


def esearch_explained(data: bytes) -> str:
    """NCBI's message in an esearch error answer's body (JSON, else its text)."""
    try:
        return esearch_error(json.loads(data))
    except (ValueError, RecursionError):
        return clean_text(data[:300].decode("utf-8", "replace"))


def efetch_error(data: bytes) -> str:
    """The ``<ERROR>`` text of an efetch error answer, else the start of its body."""
    match = re.search(rb"<ERROR>(.*?)</ERROR>", data[:8192], re.DOTALL)
    text = (match[1] if match else data[:300]).decode("utf-8", "replace")
    return clean_text(re.sub(r"<[^>]*>", " ", text))[:300]


def parse_pubmed(data: bytes, feed: str) -> FeedParseResult:
    """Read an efetch answer (``db=pubmed&retmode=xml``) into the articles of feed ``feed``.

    Raises :class:`SourceError` for malformed XML, an ``<ERROR>`` answer, or XML that is not
    a PubMed article set.
    """
    stripped, _ = strip_entity_declarations(data)
    try:
        root = ET.fromstring(stripped)
    except ET.ParseError as exc:
        raise SourceError(f"efetch: not well-formed XML: {clean_text(str(exc))[:200]}") from None
    error = root.findtext("ERROR") if root.tag != "PubmedArticleSet" else None
    if error:
        raise SourceError(f"efetch: {clean_text(error)[:300]}")
    if root.tag != "PubmedArticleSet":
        raise SourceError(f"efetch: not a PubMed article set (root <{clean_text(root.tag)}>)")
    result = FeedParseResult(title="PubMed")
    books = len(root.findall("PubmedBookArticle"))
    if books:
        result.warnings.append(f"{books} book record(s) skipped")
    for index, element in enumerate(root.findall("PubmedArticle"), start=1):
        try:
            result.articles.append(_paper(element, feed))
        except SourceError as exc:
            result.warnings.append(f"article {index} skipped: {exc}")
    return result


def _paper(element: ET.Element, feed: str) -> Article:
    citation = element.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    pmid = _text(citation.find("PMID")) if citation is not None else ""
    if article is None or not _PMID.fullmatch(pmid):
        raise SourceError("no PMID or no Article")
    journal = _text(article.find("Journal/Title")) or _text(article.find("Journal/ISOAbbreviation"))
    authors = _authors(article)
    doi = _doi(element, article)
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    body, notes = limit_body(_body(article, pmid, doi, journal, authors))
    shown = ", ".join(authors[:_AUTHORS_SHOWN]) + (" et al." if len(authors) > 3 else "")
    return Article(
        id=article_id(feed, pmid),
        feed=feed,
        guid=pmid,
        title=title or f"PMID {pmid}",
        link=paper_link(pmid),
        author=shown,
        published=_published(element, article),
        source=journal,
        body=body,
        notes=notes,
    )


def _body(article: ET.Element, pmid: str, doi: str, journal: str, authors: list[str]) -> str:
    rows = [
        ("Journal", escape_markdown(", ".join(p for p in (journal, _citation(article)) if p))),
        ("Authors", escape_markdown(", ".join(authors))),
        ("PMID", f"[{pmid}]({paper_link(pmid)})"),
        ("DOI", _doi_link(doi)),
    ]
    lines = [f"- **{label}:** {value}" for label, value in rows if value]
    parts = ["\n".join(lines)]
    for section in article.findall("Abstract/AbstractText"):
        text = text_to_markdown(_text(section))
        label = clean_text(section.get("Label") or "")
        if text:
            parts.append(f"**{escape_markdown(label)}:** {text}" if label else text)
    return "\n\n".join(parts)


def _citation(article: ET.Element) -> str:
    """``2018 Feb;75(2):79-89``, from what the record gives."""
    issue = article.find("Journal/JournalIssue")
    date = ""
    if issue is not None:
        pub = issue.find("PubDate")
        if pub is not None:
            date = _text(pub.find("MedlineDate")) or " ".join(
                _text(pub.find(part)) for part in ("Year", "Month", "Day") if _text(pub.find(part))
            )
        volume, number = _text(issue.find("Volume")), _text(issue.find("Issue"))
        date += f";{volume}" if volume else ""
        date += f"({number})" if number else ""
    pages = _text(article.find("Pagination/MedlinePgn"))
    return date + (f":{pages}" if pages else "")


def _authors(article: ET.Element) -> list[str]:
    names = []
    for author in article.findall("AuthorList/Author"):
        collective = _text(author.find("CollectiveName"))
        parts = (_text(author.find("ForeName")), _text(author.find("LastName")))
        personal = " ".join(part for part in parts if part)
        if personal or collective:
            names.append(personal or collective)
    return names


def _doi(element: ET.Element, article: ET.Element) -> str:
    for found in element.findall("PubmedData/ArticleIdList/ArticleId"):
        if found.get("IdType") == "doi" and _text(found):
            return _text(found)
    for found in article.findall("ELocationID"):
        if found.get("EIdType") == "doi" and _text(found):
            return _text(found)
    return ""


def _doi_link(doi: str) -> str:
    """The DOI as a Markdown link to doi.org; ``""`` for one that cannot stand in a link's
    target as it is."""
    if not doi.startswith("10.") or any(c in doi for c in " ()<>[]\\"):
        return ""
    shown = _MD_SPECIAL.sub(r"\\\1", doi)
    return f"[{shown}](https://doi.org/{doi})"


def _published(element: ET.Element, article: ET.Element) -> datetime | None:
    """The electronic publication date, else the issue's, else when PubMed listed it."""
    candidates = [
        *(d for d in article.findall("ArticleDate") if d.get("DateType") == "Electronic"),
        *article.findall("Journal/JournalIssue/PubDate"),
        *(
            d
            for d in element.findall("PubmedData/History/PubMedPubDate")
            if d.get("PubStatus") == "pubmed"
        ),
    ]
    for date in candidates:
        found = _date(date)
        if found is not None:
            return found
    return None


def _date(element: ET.Element) -> datetime | None:
    year = _text(element.find("Year")) or _text(element.find("MedlineDate"))[:4]
    if not year.isdigit():
        return None
    month_text = _text(element.find("Month")).lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3], 1)
    day_text = _text(element.find("Day"))
    day = int(day_text) if day_text.isdigit() else 1
    try:
        return datetime(int(year), month, day, tzinfo=UTC)
    except ValueError:
        return None


def _text(element: ET.Element | None) -> str:
    """An element's whole text (inline markup such as ``<i>`` read as text), one line."""
    return "" if element is None else clean_text("".join(element.itertext()))
