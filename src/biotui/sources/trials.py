"""ClinicalTrials.gov API v2 answers (``/studies``, JSON) to articles: one per study.

An article's guid is the study's NCT id, so a study updated on the registry updates its
article instead of adding one; its date is the study's last update posted. Every field is
type-checked: an answer may leave any module out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_text
from biotui.sources.dates import parse_date, parse_rfc3339
from biotui.sources.markup import escape_markdown, limit_body, text_to_markdown
from biotui.sources.result import FeedParseResult

STUDY_URL = "https://clinicaltrials.gov/study/"
_NCT = re.compile(r"NCT\d{8}")
_PHASES = {"EARLY_PHASE1": "Early Phase 1", "NA": "Not applicable"}


def study_link(nct: str) -> str:
    """The study's page on ClinicalTrials.gov."""
    return STUDY_URL + nct


def parse_trials(data: bytes, feed: str) -> FeedParseResult:
    """Read a ``/studies`` answer into the articles of feed ``feed``.

    Raises :class:`SourceError` for bytes that are not JSON, or JSON without a ``studies``
    list (an error message in the body is given as the reason).
    """
    document = _json(data)
    if not isinstance(document, dict) or not isinstance(document.get("studies"), list):
        message = _api_message(document)
        raise SourceError(message or "not a ClinicalTrials.gov answer (no studies list)")
    result = FeedParseResult(title="ClinicalTrials.gov")
    for index, study in enumerate(document["studies"], start=1):
        try:
            result.articles.append(_study(study, feed))
        except (SourceError, TypeError, ValueError, AttributeError) as exc:
            result.warnings.append(f"study {index} skipped: {clean_text(str(exc))}")
    return result


def api_error(data: bytes) -> str:
    """The message of an error answer's body (JSON or text), or ``""``."""
    try:
        document: Any = json.loads(data)
    except (ValueError, RecursionError):
        return clean_text(data[:300].decode("utf-8", "replace"))
    return _api_message(document)


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"not valid JSON: {clean_text(str(exc))[:200]}") from None


def _api_message(document: Any) -> str:
    if isinstance(document, dict):
        for key in ("message", "error", "errors"):
            value = document.get(key)
            if isinstance(value, list):
                value = "; ".join(_text(item) for item in value)
            if _text(value):
                return f"ClinicalTrials.gov: {_text(value)[:300]}"
    return ""


def _study(study: Any, feed: str) -> Article:
    if not isinstance(study, dict):
        raise SourceError("not an object")
    protocol = _dict(study, "protocolSection")
    ident = _dict(protocol, "identificationModule")
    nct = _text(ident.get("nctId")).upper()
    if not _NCT.fullmatch(nct):
        raise SourceError(f"no NCT id ({nct or 'none'})")
    status = _dict(protocol, "statusModule")
    sponsor = _text(_dict(_dict(protocol, "sponsorCollaboratorsModule"), "leadSponsor").get("name"))
    title = _text(ident.get("briefTitle")) or _text(ident.get("officialTitle")) or nct
    updated = _dict(status, "lastUpdatePostDateStruct").get("date")
    published = parse_rfc3339(updated) or parse_date(_text(updated))
    body, notes = limit_body(_body(protocol, nct, sponsor))
    official = _text(ident.get("officialTitle"))
    return Article(
        id=article_id(feed, nct),
        feed=feed,
        guid=nct,
        title=title,
        link=study_link(nct),
        published=published,
        source=sponsor or "ClinicalTrials.gov",
        source_title=official if official and official != title else "",
        body=body,
        notes=notes,
    )


def _body(protocol: dict[str, Any], nct: str, sponsor: str) -> str:
    status = _dict(protocol, "statusModule")
    design = _dict(protocol, "designModule")
    phases = ", ".join(_phase(p) for p in _texts(design.get("phases")))
    conditions = ", ".join(_texts(_dict(protocol, "conditionsModule").get("conditions")))
    interventions = [
        ": ".join(part for part in (_words(_text(i.get("type"))), _text(i.get("name"))) if part)
        for i in _dict(protocol, "armsInterventionsModule").get("interventions") or []
        if isinstance(i, dict)
    ]
    enrollment = _dict(design, "enrollmentInfo").get("count")
    rows = [
        ("Trial", f"[{nct}]({study_link(nct)})"),
        ("Status", escape_markdown(_words(_text(status.get("overallStatus"))))),
        ("Phase", escape_markdown(phases)),
        ("Study type", escape_markdown(_words(_text(design.get("studyType"))))),
        ("Sponsor", escape_markdown(sponsor)),
        ("Conditions", escape_markdown(conditions)),
        ("Interventions", escape_markdown("; ".join(i for i in interventions if i))),
        ("Enrollment", str(enrollment) if isinstance(enrollment, int) else ""),
        ("Start", escape_markdown(_text(_dict(status, "startDateStruct").get("date")))),
        ("Last update posted", escape_markdown(_last_update(status))),
    ]
    lines = [f"- **{label}:** {value}" for label, value in rows if value]
    summary = _dict(protocol, "descriptionModule").get("briefSummary")
    text = text_to_markdown(summary) if isinstance(summary, str) else ""
    return "\n".join(lines) + (f"\n\n{text}" if text else "")


def _last_update(status: dict[str, Any]) -> str:
    return _text(_dict(status, "lastUpdatePostDateStruct").get("date"))


def _phase(value: str) -> str:
    """``PHASE1`` as ``Phase 1``."""
    if value in _PHASES:
        return _PHASES[value]
    match = re.fullmatch(r"PHASE(\d)", value)
    return f"Phase {match[1]}" if match else _words(value)


def _words(value: str) -> str:
    """An API enum (``ACTIVE_NOT_RECRUITING``) as words (``Active not recruiting``)."""
    if not value or not value.replace("_", "").isupper():
        return value
    words = value.replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def _dict(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return clean_text(value) if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (_text(item) for item in value) if text]
