"""One date grammar: records, map definitions, the CLI, `new` and the schema give one verdict."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from conftest import record
from insightmap import dates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024", "2024"),
        ("2024-05", "2024-05"),
        ("2024-02-29", "2024-02-29"),
        ("2000-02-29", "2000-02-29"),
        ("0001-01-01", "0001-01-01"),
    ],
)
def test_the_three_forms_parse_to_themselves(text, expected):
    assert str(dates.parse(text)) == expected


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("2025-13", "has no month 13"),
        ("2025-00", "has no month 00"),
        ("2025-02-30", "not a real calendar date"),
        ("2023-02-29", "not a real calendar date"),
        ("1900-02-29", "not a real calendar date"),
        ("2025-04-31", "not a real calendar date"),
        ("0000", "has no year 0"),
        ("maj 2024", "is not a date of the form"),
        ("2024-5", "is not a date of the form"),
        (" 2024", "is not a date of the form"),
        ("2024\n", "is not a date of the form"),
        ("٢٠٢٤", "is not a date of the form"),  # Arabic-Indic digits are digits to Python
    ],
)
def test_impossible_dates_are_refused_with_a_hint(text, fragment):
    with pytest.raises(dates.DateError) as caught:
        dates.parse(text)
    assert fragment in caught.value.message
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in caught.value.hint


def test_yaml_values_a_year_number_and_a_timestamp_are_dates():
    assert str(dates.parse_value(2024)) == "2024"
    assert str(dates.parse_value(dt.date(2024, 5, 17))) == "2024-05-17"
    assert str(dates.parse_value(dt.datetime(2024, 5, 17, 10, 0))) == "2024-05-17"
    for value in (True, 20.5, ["2024"], None):
        with pytest.raises(dates.DateError):
            dates.parse_value(value)


def test_the_schema_pattern_accepts_exactly_what_parse_accepts():
    pattern = re.compile(dates.PATTERN)
    years = ["0000", "0001", "1900", "1996", "2000", "2023", "2024", "2100", "2400", "9999"]
    parts = [None, *(f"{n:02d}" for n in range(14))]
    days = [None, *(f"{n:02d}" for n in range(33))]
    checked = 0
    for year, month, day in itertools.product(years, parts, days):
        if month is None and day is not None:
            continue
        text = "-".join(p for p in (year, month, day) if p is not None)
        assert bool(pattern.fullmatch(text)) == dates.is_date(text), text
        checked += 1
    assert checked > 3000


def _map(date: str) -> str:
    return f"title: X\nfilter:\n  date: {{from: {date}}}\n"


@pytest.mark.parametrize("date", ["2025-13", "2025-02-30", "2024-02-29", "2024-06"])
def test_records_and_map_definitions_give_one_verdict(corpus, run, date):
    root = corpus({"insights/a.md": record(date=f'"{date}"'), "maps/m.yml": _map(f'"{date}"')})
    result = run("-C", root, "check")
    exit_code, out = result.exit_code, result.output
    expected = dates.is_date(date)
    assert ("insights/a.md:6: error[date]" not in out) is expected, out
    assert ("maps/m.yml:3: error[date]" not in out) is expected, out
    assert exit_code == (0 if expected else 1)


def test_new_refuses_an_impossible_date(corpus, run):
    root = corpus({})
    result = run(
        "-C", root, "new", "--title", "x", "--organisation", "grums", "--date", "2025-02-30",
        "--perspective", "risk-group", "--subpopulation", "adults", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not a real calendar date" in result.output


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_list_refuses_an_impossible_date_as_wrong_usage(corpus, run, option):
    root = corpus({"insights/a.md": record()})
    result = run("-C", root, "list", option, "2024-13")
    assert result.exit_code == 2
    assert "has no month 13" in result.output
