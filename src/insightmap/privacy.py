"""Detect residents' personal data in text so it never enters the knowledge base."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

PERSONAL_IDENTITY_NUMBER = "personal-identity-number"
COORDINATION_NUMBER = "coordination-number"
EMAIL = "email"
PHONE = "phone"

#: How messages name each kind (English, like every CLI message).
LABELS = {
    PERSONAL_IDENTITY_NUMBER: "a personal identity number (personnummer)",
    COORDINATION_NUMBER: "a co-ordination number (samordningsnummer)",
    EMAIL: "an e-mail address",
    PHONE: "a phone number",
}
HINT = (
    "records must hold no residents' personal data: remove or anonymise it "
    "(a reviewed false positive goes in insightmap.yml: privacy: {allow: [...]})"
)

# Text pasted from word processors turns "-" into en dashes, minus signs or
# non-breaking hyphens, and Swedish typography uses (narrow) no-break spaces.
_DASH = r"\-\u2010-\u2013\u2212"
_SPACE = r" \u00a0\u202f"
_SEP = rf"[{_SPACE}{_DASH}]"

_PNR_RE = re.compile(
    rf"""
    (?<![^\W_])(?<!\d[.,])                 # not glued to a word or a decimal number
    (?P<century>18|19|20)?
    (?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)
    (?P<sep>[{_SPACE}]?[{_DASH}+]?[{_SPACE}]?)   # "-", "+", " ", or " - " as typed in prose
    (?P<serial>\d{{4}})
    (?![^\W_])(?![.,]\d)
    """,
    re.VERBOSE,
)

_EMAIL_RE = re.compile(
    r"""
    (?<![\w.%+-])
    (?P<local>[\w%+-]+(?:\.[\w%+-]+)*)
    @
    (?P<domain>[^\W_][\w-]*(?:\.[^\W_][\w-]*)*\.(?P<tld>[^\W\d_]{2,63}))
    (?![^\W_])
    """,
    re.VERBOSE,
)

# "logo@2x.png" is a retina image name, not an address.
_FILE_EXTENSIONS = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "tif", "tiff", "ico"}
)

_PHONE_RE = re.compile(
    rf"""
    (?=[0+])                                # every candidate starts so: a cheap first test
    (?<![\w+])(?<!\d[.,:{_DASH}])           # not inside a word, decimal, time or digit chain
    (?:
        (?P<intl>(?:\+|00)46){_SEP}?(?:\(0\){_SEP}?)?
        (?P<intl_rest>[1-9](?:{_SEP}?\d){{6,8}})
      | (?P<area>0[1-9]\d{{0,2}})(?P<area_sep>{_SEP})
        (?P<subscriber>[1-9](?:{_SEP}?\d){{4,7}})
      | (?P<plain>0[1-9]\d{{7,8}})          # 8 contiguous digits would be DDMMYYYY dates
    )
    (?![^\W_])(?![.,]\d)(?![{_SPACE}]?%)
    """,
    re.VERBOSE,
)

_DATE_LIKE_RE = re.compile(rf"\d\d([{_DASH}])\d\d\1(?:\d\d|\d{{4}})")
_SEP_RE = re.compile(_SEP)
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class PersonalData:
    """A located piece of personal data, masked so messages never repeat it."""

    kind: str
    line: int
    column: int
    masked: str


def describe(found: PersonalData) -> str:
    """Name a finding for a message, masked so the data itself is never repeated."""
    return f"{LABELS.get(found.kind, found.kind)} ({found.masked})"


_SIX_DIGITS_RE = re.compile(r"\d{6}")  # every identity number starts with YYMMDD


def find_personal_data(text: str, allow: Collection[str] = ()) -> list[PersonalData]:
    """Find Swedish personal identity/co-ordination numbers, e-mail addresses and Swedish phone numbers in text.

    Strings in allow (reviewed false positives, `privacy: {allow: [...]}` in
    insightmap.yml) are never reported.
    """  # noqa: E501
    # Priority order decides overlaps: an address containing digits is an
    # address, and a valid personnummer is never reported again as a phone.
    # Cheap C-level pre-checks skip the detailed patterns for the many records
    # that cannot contain a match: this halves `insightmap check` on large corpora.
    candidates = [
        *(_find_emails(text) if "@" in text else ()),
        *(_find_identity_numbers(text) if _SIX_DIGITS_RE.search(text) else ()),
        *_find_phones(text),
    ]
    accepted: list[tuple[int, int, str, str]] = []
    # A per-character occupancy map keeps overlap checks linear in text size.
    taken = bytearray(len(text))
    for start, end, kind, masked in candidates:
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            accepted.append((start, end, kind, masked))
    accepted.sort()
    if allow:
        accepted = [span for span in accepted if not _allowed(text, span[0], span[1], allow)]
    return _locate(text, accepted)


def _allowed(text: str, start: int, end: int, allow: Collection[str]) -> bool:
    """Tell whether a match lies inside an occurrence of an allowed string."""
    for allowed in allow:
        if not allowed:
            continue
        # Search the neighbourhood only: the match must sit inside the allowed string.
        window = text[max(0, end - len(allowed)) : start + len(allowed)]
        if allowed in window:
            return True
    return False


def _locate(text: str, spans: list[tuple[int, int, str, str]]) -> list[PersonalData]:
    """Turn sorted character offsets into 1-based line/column records."""
    found: list[PersonalData] = []
    line, line_start, scanned = 1, 0, 0
    for start, _end, kind, masked in spans:
        # Count newlines incrementally so many matches stay linear in text size.
        newlines = text.count("\n", scanned, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", scanned, start) + 1
        scanned = start
        found.append(PersonalData(kind, line, start - line_start + 1, masked))
    return found


def _find_identity_numbers(text: str) -> list[tuple[int, int, str, str]]:
    """Return spans of valid personnummer and samordningsnummer."""
    spans: list[tuple[int, int, str, str]] = []
    for m in _PNR_RE.finditer(text):
        century, sep = m["century"], m["sep"]
        if century and "+" in sep:
            # "+" marks age over 100 only in the 10-digit form.
            continue
        month, day = int(m["mm"]), int(m["dd"])
        kind = PERSONAL_IDENTITY_NUMBER
        if day > 60:
            kind, day = COORDINATION_NUMBER, day - 60
        # Without a century any leap year is possible: 2000 + YY is leap iff YY % 4 == 0.
        year = int(century + m["yy"]) if century else 2000 + int(m["yy"])
        if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
            continue
        if not _luhn_valid(m["yy"] + m["mm"] + m["dd"] + m["serial"]):
            continue
        masked = m.group(0)[: m.start("serial") - m.start()] + "****"
        spans.append((m.start(), m.end(), kind, masked))
    return spans


def _find_emails(text: str) -> list[tuple[int, int, str, str]]:
    """Return spans of e-mail addresses."""
    spans: list[tuple[int, int, str, str]] = []
    for m in _EMAIL_RE.finditer(text):
        if m["tld"].lower() in _FILE_EXTENSIONS:
            continue
        masked = f"{m['local'][0]}***@{m['domain']}"
        spans.append((m.start(), m.end(), EMAIL, masked))
    return spans


def _find_phones(text: str) -> list[tuple[int, int, str, str]]:
    """Return spans of Swedish phone numbers."""
    spans: list[tuple[int, int, str, str]] = []
    for m in _PHONE_RE.finditer(text):
        raw = m.group(0)
        if m["intl"]:
            # Keep the country code and at most two digits of the first group.
            lead = len(_SEP_RE.split(m["intl_rest"], maxsplit=1)[0])
            keep_until = m.start("intl_rest") + min(2, lead)
        elif m["area"]:
            if not _plausible_grouped_number(m["area"], m["area_sep"], m["subscriber"], raw):
                continue
            keep_until = m.start("subscriber")
        else:
            keep_until = m.start("plain") + 3
        cut = keep_until - m.start()
        masked = raw[:cut] + _DIGIT_RE.sub("*", raw[cut:])
        spans.append((m.start(), m.end(), PHONE, masked))
    return spans


def _plausible_grouped_number(area: str, area_sep: str, subscriber: str, raw: str) -> bool:
    """Tell whether an area code plus subscriber number really looks like a phone number."""
    digits = len(area) + sum(ch.isdigit() for ch in subscriber)
    if not 8 <= digits <= 10:
        return False
    if _DATE_LIKE_RE.fullmatch(raw):
        # "07-12-2024" is a DD-MM-YYYY date, not Stockholm's 08 area.
        return False
    groups = _SEP_RE.split(subscriber)
    if not area_sep.isspace() or len(groups) == 1:
        return True
    # After a space, demand phone-style grouping ending in a pair: thousand
    # groups ("0180 12 345" = SCB code + population) always end in three.
    return len(groups[-1]) == 2


def _days_in_month(year: int, month: int) -> int:
    """Return the number of days in a month of the Gregorian calendar."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _luhn_valid(digits: str) -> bool:
    """Check the Luhn (mod 10) checksum used by Swedish identity numbers."""
    total = 0
    for index, ch in enumerate(digits):
        product = int(ch) * (2 - index % 2)
        total += product - 9 if product > 9 else product
    return total % 10 == 0
