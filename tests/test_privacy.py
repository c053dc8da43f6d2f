"""Tests for the personal-data detector."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insightmap.load.privacy import (
    COORDINATION_NUMBER,
    EMAIL,
    PERSONAL_IDENTITY_NUMBER,
    PHONE,
    PersonalData,
    find_personal_data,
)


def luhn_check_digit(nine: str) -> str:
    """Compute the Luhn check digit for nine digits (YYMMDDNNN)."""
    total = 0
    for index, ch in enumerate(nine):
        product = int(ch) * (2 - index % 2)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def ten_digits(yymmdd: str, serial: str = "983") -> str:
    """Build a Luhn-valid ten-digit number from a date part and a three-digit serial."""
    nine = yymmdd + serial
    return nine + luhn_check_digit(nine)


def luhn_broken(number: str) -> str:
    """Change the check digit so the Luhn check fails."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def split(number: str, sep: str) -> str:
    """Insert a separator before the last four digits."""
    return number[:-4] + sep + number[-4:]


def kinds(text: str) -> list[str]:
    """Return the kinds found in text."""
    return [found.kind for found in find_personal_data(text)]


PNR = ten_digits("850709")
PNR_2005 = ten_digits("050709")
SAMNR = ten_digits("850769")  # day 09 + 60


# --- personnummer and samordningsnummer -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        (split(PNR, "-"), PERSONAL_IDENTITY_NUMBER, "850709-****"),
        (split(PNR, "+"), PERSONAL_IDENTITY_NUMBER, "850709+****"),
        (split(PNR, " "), PERSONAL_IDENTITY_NUMBER, "850709 ****"),
        (PNR, PERSONAL_IDENTITY_NUMBER, "850709****"),
        ("19" + split(PNR, "-"), PERSONAL_IDENTITY_NUMBER, "19850709-****"),
        ("19" + split(PNR, " "), PERSONAL_IDENTITY_NUMBER, "19850709 ****"),
        ("19" + PNR, PERSONAL_IDENTITY_NUMBER, "19850709****"),
        (split(PNR, "\u2013"), PERSONAL_IDENTITY_NUMBER, "850709\u2013****"),
        (split(SAMNR, "-"), COORDINATION_NUMBER, "850769-****"),
        (split(SAMNR, "+"), COORDINATION_NUMBER, "850769+****"),
        (split(SAMNR, " "), COORDINATION_NUMBER, "850769 ****"),
        (SAMNR, COORDINATION_NUMBER, "850769****"),
        ("19" + split(SAMNR, "-"), COORDINATION_NUMBER, "19850769-****"),
        ("19" + SAMNR, COORDINATION_NUMBER, "19850769****"),
        # Born 2005: starts with 0 like a phone number, but reported once, as personnummer.
        (split(PNR_2005, "-"), PERSONAL_IDENTITY_NUMBER, "050709-****"),
        (PNR_2005, PERSONAL_IDENTITY_NUMBER, "050709****"),
        ("20" + PNR_2005, PERSONAL_IDENTITY_NUMBER, "20050709****"),
    ],
)
def test_identity_numbers_flagged_in_every_format(text: str, kind: str, masked: str) -> None:
    found = find_personal_data(f"Klient: {text}.")
    assert found == [PersonalData(kind, 1, 9, masked)]


@pytest.mark.parametrize("sep", ["-", "+", " ", ""])
@pytest.mark.parametrize(("number", "century"), [(PNR, "19"), (SAMNR, "19"), (PNR_2005, "20")])
def test_luhn_invalid_not_flagged(number: str, century: str, sep: str) -> None:
    broken = luhn_broken(number)
    if not (sep == "" and broken.startswith("0")):
        # Ten bare digits starting with 0 are also a valid phone shape, so skip that one.
        assert find_personal_data(split(broken, sep)) == []
    if sep != "+":
        assert find_personal_data(century + split(broken, sep)) == []


@pytest.mark.parametrize(
    "yymmdd",
    [
        "851309",  # month 13
        "850009",  # month 00
        "850700",  # day 00
        "850732",  # day 32
        "850431",  # 31 April
        "850229",  # 29 February in a non-leap year
        "850792",  # co-ordination day 32
        "850760",  # co-ordination day 0
        "850491",  # co-ordination 31 April
    ],
)
def test_impossible_dates_not_flagged(yymmdd: str) -> None:
    number = ten_digits(yymmdd)
    assert find_personal_data(split(number, "-")) == []
    assert find_personal_data(number) == []


def test_leap_day_uses_full_century_when_known() -> None:
    leap = ten_digits("000229")
    assert kinds(split(leap, "-")) == [PERSONAL_IDENTITY_NUMBER]
    assert kinds("20" + split(leap, "-")) == [PERSONAL_IDENTITY_NUMBER]
    assert kinds("19" + split(leap, "-")) == []  # 1900 was not a leap year


def test_plus_sign_only_in_ten_digit_form() -> None:
    assert find_personal_data("19" + split(PNR, "+")) == []


@pytest.mark.parametrize(
    "text",
    [
        "id" + split(PNR, "-"),
        split(PNR, "-") + "abc",
        "1" + PNR,
        PNR + "1",
        "3." + PNR,
        "21" + PNR,  # century must be 18, 19 or 20
    ],
)
def test_identity_number_inside_longer_token_not_flagged(text: str) -> None:
    assert find_personal_data(text) == []


def test_organisation_number_not_flagged() -> None:
    # Organisation numbers are Luhn-valid but have "month" 20 or more.
    org = ten_digits("212000", "014")
    assert find_personal_data(f"Org.nr {split(org, '-')}") == []


# --- things that must not look like personal data ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Beslut 2024-03-15 i nämnden.",
        "Under 2024 ökade antalet.",
        "Verksamhetsåren 2024-2025 och 2024\u20132025.",
        "Andelen ökade med 8 % till 12,5 %.",
        "Kommunkod 0180 (Stockholm), 0380 och 1480.",
        "Kommunerna 0180 0181 0182.",
        "Kommun 0180 12 345 invånare.",
        "Postadress 123 45 Stad, 411 04 Göteborg.",
        "Öppet 07:00-16:00, kl. 07.30\u201316.00.",
        "Datum 07-12-2024 och 03-15-2024.",
        "Datum 01012024.",
        "Summa 1 031 234 567 kr.",
        "Andel 0,0701234567 och 0.123456789.",
        "Dnr 0180-2024-00123.",
        "SE35 5000 0000 0549 1000 0003",
        "Faktura 4711-0815, OCR 123456789012345.",
        "![logo](img/logo@2x.png)",
        "Se @kommunen på sociala medier.",
        "ISBN 0-306-40615-2",
    ],
)
def test_ordinary_numbers_not_flagged(text: str) -> None:
    assert find_personal_data(text) == []


def test_luhn_invalid_invoice_number_not_flagged() -> None:
    invoice = luhn_broken(ten_digits("240315", "123"))
    assert find_personal_data(f"Fakturanummer {invoice}") == []


# --- e-mail ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("anna.karlsson@kommun.se", "a***@kommun.se"),
        ("<Anna.Karlsson+test@socialtjanst.example.se>", "A***@socialtjanst.example.se"),
        ("mailto:x@example.com", "x***@example.com"),
        ("åsa.öberg@exempel.se", "å***@exempel.se"),
        ("_anna_99@example.org_", "_***@example.org"),
    ],
)
def test_emails_flagged(text: str, masked: str) -> None:
    found = find_personal_data(f"Kontakt {text}.")
    assert [(f.kind, f.masked) for f in found] == [(EMAIL, masked)]


@pytest.mark.parametrize("text", ["anna@", "@kommun.se", "anna@kommun", "anna@@kommun.se"])
def test_not_emails(text: str) -> None:
    assert find_personal_data(text) == []


def test_email_containing_digits_reported_once() -> None:
    assert kinds("0701234567@sms.example.se") == [EMAIL]


# --- phone numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("070-123 45 67", "070-*** ** **"),
        ("070 123 45 67", "070 *** ** **"),
        ("070-1234567", "070-*******"),
        ("0701234567", "070*******"),
        ("073-123\u00a045\u00a067", "073-***\u00a0**\u00a0**"),
        ("+46 70 123 45 67", "+46 70 *** ** **"),
        ("+46701234567", "+4670*******"),
        ("+46 (0)70-123 45 67", "+46 (0)70-*** ** **"),
        ("0046 70 123 45 67", "0046 70 *** ** **"),
        ("0046701234567", "004670*******"),
        ("+46 8 123 456 78", "+46 8 *** *** **"),
        ("08-123 45 67", "08-*** ** **"),
        ("08-123 456 78", "08-*** *** **"),
        ("08 123 456 78", "08 *** *** **"),
        ("031-12 34 56", "031-** ** **"),
        ("0455-30 30 00", "0455-** ** **"),
        ("0980-123 45", "0980-*** **"),
        ("081234567", "081******"),
    ],
)
def test_phone_formats_flagged(text: str, masked: str) -> None:
    found = find_personal_data(f"Ring {text} i dag.")
    assert found == [PersonalData(PHONE, 1, 6, masked)]


@pytest.mark.parametrize(
    "text",
    [
        "08-123 45",  # only 7 digits
        "070-123456789012",  # too many digits
        "+46 70 12",
        "08123456",  # 8 bare digits read as DDMMYYYY
        "0180 12 345",
        "tel070-1234567",
    ],
)
def test_not_phones(text: str) -> None:
    assert find_personal_data(text) == []


def test_two_phones_separated_by_space() -> None:
    found = find_personal_data("070-123 45 67 08-123 45 67")
    assert [(f.kind, f.column) for f in found] == [(PHONE, 1), (PHONE, 15)]


# --- positions, ordering and masking ----------------------------------------------------


def test_line_and_column_on_multiline_text() -> None:
    text = (
        "# Rubrik\n"
        "\n"
        f"Klient {split(PNR, '-')} ringde från 070-123 45 67.\n"
        "  Mejl: anna@example.se\r\n"
        f"{split(SAMNR, ' ')}"
    )
    found = find_personal_data(text)
    assert [(f.kind, f.line, f.column) for f in found] == [
        (PERSONAL_IDENTITY_NUMBER, 3, 8),
        (PHONE, 3, 32),
        (EMAIL, 4, 9),
        (COORDINATION_NUMBER, 5, 1),
    ]


def test_results_sorted_without_overlaps() -> None:
    text = f"b@example.se {PNR} a@example.se 08-123 45 67\n{PNR_2005}"
    found = find_personal_data(text)
    assert [(f.line, f.column) for f in found] == sorted((f.line, f.column) for f in found)
    assert kinds(text) == [EMAIL, PERSONAL_IDENTITY_NUMBER, EMAIL, PHONE, PERSONAL_IDENTITY_NUMBER]


@pytest.mark.parametrize(
    "value",
    [
        split(PNR, "-"),
        PNR,
        "19" + PNR,
        split(SAMNR, "+"),
        "anna.karlsson@kommun.se",
        "070-123 45 67",
        "0701234567",
        "+46701234567",
        "0455-30 30 00",
    ],
)
def test_masked_never_contains_full_value(value: str) -> None:
    (found,) = find_personal_data(value)
    assert value not in found.masked
    digits = re.sub(r"\D", "", value)
    if digits:
        assert len(re.sub(r"\D", "", found.masked)) <= len(digits) - 4


def test_empty_text() -> None:
    assert find_personal_data("") == []


# --- robustness -----------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("0123456789 -+@._()%:\n\u2013\u00a0aåZ"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(_ALPHABET, max_size=80)))
def test_arbitrary_text_never_raises(text: str) -> None:
    found = find_personal_data(text)
    lines = text.split("\n")
    for item in found:
        assert item.kind in {PERSONAL_IDENTITY_NUMBER, COORDINATION_NUMBER, EMAIL, PHONE}
        assert 1 <= item.line <= len(lines)
        assert 1 <= item.column <= len(lines[item.line - 1])
    positions = [(f.line, f.column) for f in found]
    assert positions == sorted(set(positions))


# --- the allow-list and the doors around the detector ------------------------------------


def test_allowed_strings_are_never_reported() -> None:
    text = "Filen 20230115-1318 och 070-123 45 67."
    assert kinds(text) == [PERSONAL_IDENTITY_NUMBER, PHONE]
    assert kinds_allowed(text, ["20230115-1318"]) == [PHONE]
    # The allowed string must cover the whole finding, written with any dash.
    assert kinds_allowed("Filen 20230115\u20131307.", ["20230115-1318"]) == []
    assert kinds_allowed(text, ["1307"]) == [PERSONAL_IDENTITY_NUMBER, PHONE]


def kinds_allowed(text: str, allow: list[str]) -> list[str]:
    """Return the kinds found in text with an allow-list."""
    return [found.kind for found in find_personal_data(text, allow)]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("20230115-1300", False),  # quarter hour
        ("Export 20230115-1318", False),  # time clue word
        ("20230115-1318:45", False),  # seconds follow
        ("personnummer 20230115-1300", True),  # identity clue word wins
        ("19121212-1212", True),  # century 19: always a person
        ("20121212-1212", True),  # 12:12 is a time, but not a quarter hour and no clue
        ("20230115-2506", True),  # 25:07 is no time
    ],
)
def test_timestamp_rule(text: str, flagged: bool) -> None:
    digits = re.sub(r"\D", "", text)[:12]
    assert luhn_valid_for_test(digits[2:]), "the case must be Luhn-valid to test the rule"
    assert bool(find_personal_data(text)) is flagged


def luhn_valid_for_test(ten: str) -> bool:
    """Tell whether ten digits pass the Luhn check."""
    return luhn_check_digit(ten[:9]) == ten[9]


def test_check_reports_the_allow_list_and_it_silences_a_reviewed_case(corpus, run) -> None:
    from conftest import DEFAULT_CONFIG, record

    files = {"insights/a.md": record(body="Filen 20230115-1318 lästes in.")}
    root = corpus(files)
    assert run("-C", root, "check").exit_code == 1
    root = corpus(files, DEFAULT_CONFIG + 'privacy:\n  allow: ["20230115-1318"]\n')
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output
    assert "privacy allow-list: 1 reviewed exception(s) in insightmap.yml" in result.output


@pytest.mark.parametrize(
    "setting",
    ["privacy: [1]", "privacy: {allow: 20230115}", "privacy: {allow: [20230115]}", "privacy: {alow: []}"],
)
def test_bad_allow_list_is_a_located_error(corpus, run, setting: str) -> None:
    from conftest import DEFAULT_CONFIG

    root = corpus({}, DEFAULT_CONFIG + setting + "\n")
    result = run("-C", root, "check")
    assert result.exit_code == 1
    line = DEFAULT_CONFIG.count("\n") + 1
    assert f"insightmap.yml:{line}: error[" in result.output


def test_build_refuses_personal_data_in_meta_or_a_file_name_and_keeps_the_site(corpus, run) -> None:
    from conftest import record

    root = corpus({"insights/karlskrona/a.md": record()})
    assert run("-C", root, "build").exit_code == 0
    site = root / "site"
    before = {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert before
    meta = root / "insights/karlskrona/.meta.yml"
    meta.write_text('x-note: "\\u0038\\u0035\\u0030\\u0037\\u0030\\u0039-9805"\n', encoding="utf-8")
    result = run("-C", root, "build")
    assert result.exit_code == 1
    assert "insights/karlskrona/.meta.yml:1: error[personal-data]" in result.output
    meta.unlink()
    (root / "insights/karlskrona/a.md").rename(root / "insights/karlskrona/klient-850709-9805.md")
    result = run("-C", root, "build")
    assert result.exit_code == 1
    assert "insights/karlskrona/klient-850709-****.md:1: error[personal-data]" in result.output
    assert "9805" not in result.output
    assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == before
