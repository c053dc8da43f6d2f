"""Dates as insightmap writes them: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, real calendar dates only.

One parser for every door a date comes in by: a record's `date`/`end`, a map
definition's `date: {from, to}`, the CLI's `--since`/`--until`, `new --date` and
the JSON Schema's pattern, so the same text gets the same verdict everywhere.
A date keeps its precision (`2024` is the year, not 1 January), and dates of one
form compare as text, which is how records are sorted and filtered.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
HINT = f"write {FORMS}, e.g. 2024, 2024-05 or 2024-05-17"
#: The shape alone (digits and dashes); parse() also checks the calendar.
SHAPE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


class DateError(ValueError):
    """A text that is no date of the three forms; message and hint say why and what to write."""

    def __init__(self, message: str, hint: str = HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Date:
    """A date of year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def parse(text: str) -> Date:
    """Return the date a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` text names, or raise DateError."""
    # No stripping and ASCII digits only: the schema's pattern must say the same.
    match = SHAPE.fullmatch(text)
    if not match:
        raise DateError(f"`{text}` is not a date of the form {FORMS}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # the pattern requires it
    if year == 0:
        raise DateError(f"`{text}` has no year 0")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"`{text}` has no month {match.group(2)}")
    if day is not None:
        try:
            dt.date(year, month or 1, day)
        except ValueError:
            raise DateError(f"`{text}` is not a real calendar date") from None
    return Date(year, month, day)


def parse_value(value: object) -> Date:
    """Return the date of a decoded YAML value: text, a year as a number, or a YAML date."""
    if isinstance(value, dt.datetime):
        value = value.date()  # `2024-05-17 10:00` is read as a timestamp; the day is meant
    if isinstance(value, dt.date):
        return Date(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads 2024 as a number
    if not isinstance(value, str):
        raise DateError(f"`{value}` is not a date of the form {FORMS}")
    return parse(value)


def is_date(text: str) -> bool:
    """Tell whether text is a date of one of the three forms."""
    try:
        parse(text)
    except DateError:
        return False
    return True


def _pattern() -> str:
    """Return a regular expression (ECMA-262 and Python) that accepts exactly what parse() accepts."""
    year = "(?!0000)[0-9]{4}"
    months31 = "(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    months30 = "(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    february = "02-(?:0[1-9]|1[0-9]|2[0-8])"
    leap = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29"
    return (
        rf"^(?:{year}(?:-(?:0[1-9]|1[0-2]))?"
        rf"|{year}-(?:{months31}|{months30}|{february})"
        rf"|(?!0000){leap})$"
    )


#: For the JSON Schema: the calendar checks of parse(), as a pattern.
PATTERN = _pattern()


def date_end(date: str) -> dt.date:
    """Return the last day a partial date (`2024`, `2024-05`) can mean, so an age is never premature."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(parts[0], parts[1], parts[2])


def years_before(today: dt.date, years: int) -> dt.date:
    """Return the same day `years` years earlier (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one
        return today.replace(year=today.year - years, day=28)


def months_before(today: dt.date, months: int) -> dt.date:
    """Return the day `months` calendar months before today (the month's last day when shorter)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
