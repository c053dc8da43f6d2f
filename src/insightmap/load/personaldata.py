"""Find residents' personal data in a text: Swedish identity numbers, e-mail addresses, phone numbers.

The patterns and their guards (Luhn check, calendar, timestamps, dates that look
like numbers) live here; which texts of a project are scanned, and how a finding
becomes a problem, is privacy.py's job.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass, field

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
# Text pasted from word processors turns "-" into en/em dashes, minus signs or
# non-breaking hyphens, and Swedish typography uses (narrow) no-break spaces.
# Before matching, every such character becomes a plain "-" or " " (one for one,
# so offsets still point into the original text); invisible characters (zero-width
# space, soft hyphen) become spaces too, since the patterns allow a space there.
_SPACE_CHARS = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
)
_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_SPECIAL_RE = re.compile(f"[{re.escape(_SPACE_CHARS + _DASH_CHARS)}\uff20\ufe6b]")
_TRANSLATION = {
    **{ord(ch): " " for ch in _SPACE_CHARS},
    **{ord(ch): "-" for ch in _DASH_CHARS},
    ord("\uff20"): "@",  # fullwidth commercial at
    ord("\ufe6b"): "@",  # small commercial at
}
# A single line break is a soft break (Markdown and YAML join the lines with a
# space), so a number wrapped over two lines is still one number; a blank line
# ends a paragraph and keeps its "\n", which no pattern crosses.
_SOFT_BREAK_RE = re.compile(r"\n(?![ ]*\n)")
#: Line breaks and invisible characters of the original; a masked excerpt shows them as spaces.
_LINE_BREAK_RE = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\u00ad\u180e\u200b-\u200d\u2060\ufeff]")

_GAP = r"(?:[ ]{0,3}-[ ]{0,3}|[ ]{1,3})"  # between digit groups: spaces and/or one dash

_PNR_RE = re.compile(
    r"""
    (?<![^\W_])(?<!\d[.,])                 # not glued to a word or a decimal number
    (?P<century>18|19|20)?
    (?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)
    (?P<sep>[ ]{0,3}[-+.]?[ ]{0,3})           # "-", "+", ".", " ", or " - " as typed in prose
    (?P<serial>\d{4})
    (?![^\W_])(?![.,]\d)
    """,
    re.VERBOSE,
)

# A timestamp (a date and a 24-hour HHMM time) has the shape of a twelve-digit
# personnummer; see _looks_like_timestamp for when it is read as one.
_TIME_WORD_RE = re.compile(
    r"(?i)\b(?:kl|klockan|tid|tiden|tidpunkt|tidsstämpel|timestamp|time|logg\w*|log|"
    r"skapad|ändrad|uppdaterad|sparad|export\w*|import\w*|körning|backup|version|build)\b"
)
_IDENTITY_WORD_RE = re.compile(
    r"(?i)(?:person|samordnings|födelse)n(?:umme)?r|\bpnr\b|\bsamnr\b|\bfödd\b|\bpersonnr\b"
)
_CONTEXT = 40  # characters before a candidate that may hold a clue word

_LOCAL = r"[\w%+-]+(?:\.[\w%+-]+)*"
_LABEL = r"[^\W_][\w-]*"
# "@" (also spaced), "[at]", "(at)", "{at}", "<at>", "(snabel-a)"; " at " as a bare word
_AT = r"(?:[ ]?@[ ]?|[ ]?[\[({<][ ]?(?i:at|snabel-?a)[ ]?[\])}>][ ]?|[ ](?i:at|snabel-a)[ ])"
_DOT = r"(?:\.|[ ]?[\[({<][ ]?(?i:dot|punkt)[ ]?[\])}>][ ]?|[ ](?i:dot|punkt)[ ])"
_EMAIL_RE = re.compile(
    rf"""
    (?<![\w.%+-])
    (?P<local>{_LOCAL})
    (?P<at>{_AT})
    (?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?P<tld>[^\W\d_]{{2,63}}))
    (?![^\W_])
    """,
    re.VERBOSE,
)
_AT_TOKENS = ("at]", "at)", "at}", "at>", "at ]", "at )", "at }", "at >", " at ", "snabel")
_DOT_RE = re.compile(_DOT)

# "logo@2x.png" is a retina image name, not an address.
_FILE_EXTENSIONS = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "tif", "tiff", "ico"}
)

_PHONE_RE = re.compile(
    rf"""
    (?=[0+(])                               # every candidate starts so: a cheap first test
    (?<![\w+])(?<!\d[.,:-])                # not inside a word, decimal, time or digit chain
    (?:
        (?P<intl>(?:\+|00)46)[ ]{{0,3}}-?[ ]{{0,3}}(?:\(0\)[ ]{{0,3}}-?[ ]{{0,3}})?
        (?P<intl_rest>[1-9](?:{_GAP}?\d){{6,8}})
      | (?:
            \((?P<parea>0[1-9]\d{{0,2}})\)(?P<parea_sep>[ ]{{0,3}}-?[ ]{{0,3}})   # (070) 123 45 67
          | (?P<area>0[1-9]\d{{0,2}})(?P<area_sep>[ ]{{0,3}}[-/][ ]{{0,3}}|[ ]{{1,3}})
        )
        (?P<subscriber>[1-9](?:{_GAP}?\d){{4,7}})
      | (?P<plain>0[1-9]\d{{7,8}})          # 8 contiguous digits would be DDMMYYYY dates
    )
    (?![^\W_])(?![.,]\d)(?![ ]?%)
    """,
    re.VERBOSE,
)

_DATE_LIKE_RE = re.compile(r"\d\d([-/])\d\d\1(?:\d\d|\d{4})")
_GAP_RE = re.compile(_GAP)
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class PersonalData:
    """A located piece of personal data, masked so messages never repeat it."""

    kind: str
    line: int
    column: int
    masked: str
    #: Characters the finding spans in the text scanned (0 when not known).
    length: int = field(default=0, compare=False)


def describe(found: PersonalData) -> str:
    """Name a finding for a message, masked so the data itself is never repeated."""
    return f"{LABELS.get(found.kind, found.kind)} ({found.masked})"


def normalise(text: str, join_lines: bool = True) -> str:
    """Return text with dashes, spaces, invisible characters and (with join_lines) soft line breaks made plain.

    The result has the same length as text, character for character, so offsets
    found in it point into the original.
    """  # noqa: E501
    # str.translate costs a dictionary look-up per character; most texts hold no
    # special character at all, which one character-class search tells quickly.
    if _SPECIAL_RE.search(text):
        text = text.translate(_TRANSLATION)
    if join_lines and "\n" in text:
        text = _SOFT_BREAK_RE.sub(" ", text)
    return text


def _may_hold_email(text: str) -> bool:
    """Tell cheaply whether text has an "@" or a written-out "at" an address could hang on."""
    if "@" in text:
        return True
    lower = text.lower()
    return any(token in lower for token in _AT_TOKENS)


_SIX_DIGITS_RE = re.compile(r"\d{6}")  # every identity number starts with YYMMDD

Span = tuple[int, int, str, str]


def find_personal_data(
    text: str, allow: Collection[str] = (), *, join_lines: bool = True
) -> list[PersonalData]:
    """Find Swedish personal identity/co-ordination numbers, e-mail addresses and Swedish phone numbers in text.

    Dashes and spaces of any kind, invisible characters and single line breaks
    inside a number do not hide it. Strings in allow (reviewed false positives,
    `privacy: {allow: [...]}` in insightmap.yml) are never reported. With
    join_lines false, a line break ends a number (for raw file text, where the
    next line is another YAML key or list item).
    """  # noqa: E501
    norm = normalise(text, join_lines)
    # Priority order decides overlaps: an address containing digits is an
    # address, and a valid personnummer is never reported again as a phone.
    # Cheap C-level pre-checks skip the detailed patterns for the many records
    # that cannot contain a match: this halves `insightmap check` on large corpora.
    candidates = [
        *(_find_emails(norm) if _may_hold_email(norm) else ()),
        *(_find_identity_numbers(norm) if _SIX_DIGITS_RE.search(norm) else ()),
        *_find_phones(norm),
    ]
    accepted: list[Span] = []
    # A per-character occupancy map keeps overlap checks linear in text size.
    taken = bytearray(len(norm))
    for start, end, kind, masked in candidates:
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            if kind != EMAIL:  # numbers are masked excerpts of the text; addresses are rebuilt
                masked = _unbroken(text, start, masked)
            accepted.append((start, end, kind, masked))
    accepted.sort()
    if allow:
        allowed = [normalise(a).strip() for a in allow]
        accepted = [span for span in accepted if not _allowed(norm, span[0], span[1], allowed)]
    return _locate(text, accepted)


def _unbroken(text: str, start: int, masked: str) -> str:
    """Return the masked excerpt with the original's characters, line breaks shown as spaces."""
    # The kept characters come from the original (an en dash stays an en dash);
    # masking stars come from the normalised copy.
    original = text[start : start + len(masked)]
    kept = "".join(o if m == n else m for o, m, n in zip(original, masked, normalise(original), strict=True))
    return _LINE_BREAK_RE.sub(" ", kept)


def _allowed(norm: str, start: int, end: int, allow: list[str]) -> bool:
    """Tell whether a match lies inside an occurrence of an allowed string."""
    for allowed in allow:
        if not allowed:
            continue
        # Search the neighbourhood only: the match must sit inside the allowed string.
        window = norm[max(0, end - len(allowed)) : start + len(allowed)]
        if allowed in window:
            return True
    return False


def _locate(text: str, spans: list[Span]) -> list[PersonalData]:
    """Turn sorted character offsets into 1-based line/column records."""
    found: list[PersonalData] = []
    line, line_start, scanned = 1, 0, 0
    for start, end, kind, masked in spans:
        # Count newlines incrementally so many matches stay linear in text size.
        newlines = text.count("\n", scanned, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", scanned, start) + 1
        scanned = start
        found.append(PersonalData(kind, line, start - line_start + 1, masked, end - start))
    return found


def _find_identity_numbers(text: str) -> list[Span]:
    """Return spans of valid personnummer and samordningsnummer."""
    spans: list[Span] = []
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
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
            continue
        if not _luhn_valid(m["yy"] + m["mm"] + m["dd"] + m["serial"]):
            continue
        if kind == PERSONAL_IDENTITY_NUMBER and century == "20" and _looks_like_timestamp(text, m):
            continue
        masked = m.group(0)[: m.start("serial") - m.start()] + "****"
        spans.append((m.start(), m.end(), kind, masked))
    return spans


def _looks_like_timestamp(text: str, m: re.Match[str]) -> bool:
    """Tell whether a twelve-digit 20YYMMDD-NNNN reads as a date and a time rather than a person.

    Only numbers written with the century 20 qualify (every adult's personnummer
    keeps being detected), the last four digits must be a 24-hour time, and no
    identity clue word ("personnummer", "pnr", "född") may stand just before.
    Then it is a timestamp when the time is on the quarter hour (13:00, 09:15 —
    how people and systems write times; about 0.6 % of Luhn-valid serials), when
    a time clue word ("kl", "tid", "logg", "export", …) stands just before, or
    when seconds follow (20230115-1300:45, 20230115-1300.45).
    """
    hour, minute = int(m["serial"][:2]), int(m["serial"][2:])
    if hour > 23 or minute > 59:
        return False
    before = text[max(0, m.start() - _CONTEXT) : m.start()]
    if _IDENTITY_WORD_RE.search(before):
        return False
    seconds = re.match(r"[:.][0-5]\d", text[m.end() : m.end() + 3])
    return minute % 15 == 0 or bool(seconds) or bool(_TIME_WORD_RE.search(before))


def _find_emails(text: str) -> list[Span]:
    """Return spans of e-mail addresses, also written as "namn [at] kommun.se" or "namn at kommun dot se"."""  # noqa: E501
    spans: list[Span] = []
    for m in _EMAIL_RE.finditer(text):
        if m["tld"].lower() in _FILE_EXTENSIONS:
            continue
        domain = _DOT_RE.sub(".", m["domain"])
        if m["at"].strip().lower() in ("at", "snabel-a"):
            # A bare word "at" is English prose ("guidance at boverket.se") unless the
            # address looks personal (anna.svensson, anna_s, anna2) or hides its dots too.
            if not (re.search(r"[._\d]", m["local"]) or domain.count(".") > m["domain"].count(".")):
                continue
        masked = f"{m['local'][0]}***@{domain}"
        spans.append((m.start(), m.end(), EMAIL, masked))
    return spans


def _find_phones(text: str) -> list[Span]:
    """Return spans of Swedish phone numbers."""
    spans: list[Span] = []
    for m in _PHONE_RE.finditer(text):
        raw = m.group(0)
        if m["intl"]:
            # Keep the country code and at most two digits of the first group.
            lead = len(_GAP_RE.split(m["intl_rest"], maxsplit=1)[0])
            keep_until = m.start("intl_rest") + min(2, lead)
        elif m["area"] or m["parea"]:
            area = m["area"] or m["parea"]
            area_sep = m["area_sep"] if m["area"] else "-"
            if not _plausible_grouped_number(area, area_sep, m["subscriber"], raw):
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
    groups = _GAP_RE.split(subscriber)
    if "/" in area_sep and len(groups[0]) <= 2:
        # "07/12 2024" is a date (7 December), not a number in the 07 area.
        return False
    if not area_sep.isspace() or len(groups) == 1:
        return True
    # After a space, demand phone-style grouping ending in a pair: thousand
    # groups ("0180 12 345" = SCB code + population) always end in three.
    return len(groups[-1]) == 2


def _luhn_valid(digits: str) -> bool:
    """Check the Luhn (mod 10) checksum used by Swedish identity numbers."""
    total = 0
    for index, ch in enumerate(digits):
        product = int(ch) * (2 - index % 2)
        total += product - 9 if product > 9 else product
    return total % 10 == 0
