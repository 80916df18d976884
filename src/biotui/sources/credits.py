"""Photo and image credit lines (``Photo: X/Agency``, ``Foto: X`` ...), for every reader."""

from __future__ import annotations

import re

from biotui.plaintext import clean_text

_LABELS = (
    "photos?|images?|pictures?|pics?|illustrations?|graphics?|photographs?|photographer|"
    "credits?|crédits?|créditos?|credito|foto|fotos|fotó|fotografía|fotografia|fotografie|"
    "photographie|bild|bilder|bildnachweis|fotonachweis|bildquelle|imagen|imagem|immagine|"
    "abbildung|afbeelding|kuva|zdjęcie|фото"
)
_BY_LABELS = (
    "photos?|images?|pictures?|photographs?|illustrations?|foto|fotos|fotografía|fotografia|"
    "photographie|bild|imagen|immagine"
)
_CREDIT_FORMS = re.compile(
    rf"^(?:(?:{_LABELS})(?:\s+(?:credits?|courtesy|source|photo|by|de|di))?\s*[:：]"
    rf"|(?:{_BY_LABELS})\s+(?:by|di|de|da|von|par|door|via|from|taken\s+by)\s"
    r"|(?:photos?|images?|pictures?|foto|bild)\s+courtesy\b"
    r"|courtesy(?:\s+of\s|\s*:)"
    r"|©)\s*\S",
    re.IGNORECASE,
)
_CREDIT_WRAPPERS = "()[]*_ \t"
_CAPTION_BREAK = re.compile(r"[.!?;|]\s+|[(\[]\s*|\s[—–-]\s*")


def is_credit_line(line: str) -> bool:
    """Tell whether a line is a photo or image credit (``Photo: X/Agency``, ``Foto: X`` ...).

    Credit lines are short: at most 200 characters, and a bare ``Courtesy of X`` at most 100.
    """
    line = line.strip().strip(_CREDIT_WRAPPERS)
    if len(line) > 200 or not _CREDIT_FORMS.match(line):
        return False
    return len(line) <= 100 or not line.lower().startswith("courtesy")


def credit_text(line: str) -> str:
    """Return a credit line as stored: the whole line, cleaned, without wrapping brackets."""
    return clean_text(line).strip(_CREDIT_WRAPPERS)


def find_credit(text: str) -> str:
    """Return the credit inside a caption (``A lab. Photo: X/Agency`` gives ``Photo: X/Agency``).

    Returns ``""`` when the caption holds no credit.
    """
    text = clean_text(text)
    starts = [0] + [m.end() for m in _CAPTION_BREAK.finditer(text)]
    for start in starts:
        if is_credit_line(text[start:]):
            return credit_text(text[start:])
    return ""
