"""One glossary: every user-facing word once, in Swedish and English, and every use of it known."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from insightmap import glossary

PACKAGE = Path(glossary.__file__).parent


def test_every_entry_has_swedish_and_english() -> None:
    for key, entry in glossary.entries().items():
        assert set(entry) == {"sv", "en"}, key
        assert entry["sv"].strip() and entry["en"].strip(), key


def test_no_concept_is_defined_twice() -> None:
    seen: dict[tuple[str, str], str] = {}
    for key, entry in glossary.entries().items():
        pair = (entry["sv"].lower(), entry["en"].lower())
        assert pair not in seen, f"{key} repeats {seen[pair]}: {pair}"
        seen[pair] = key


def test_a_capitalised_key_gives_the_capitalised_word() -> None:
    sv = glossary.words("sv")
    assert sv["white_spots"] == "vita fläckar"
    assert sv["White_spots"] == "Vita fläckar"
    assert glossary.words("en").White_spots == "White spots"
    with pytest.raises(KeyError):
        sv["no_such_word"]


def test_no_module_keeps_a_label_table_of_its_own() -> None:
    tables = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "glossary.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"sv", "en"} <= keys:
                    tables.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not tables, f"label tables outside the glossary: {tables}"


_TEMPLATE_USE = re.compile(r"\{\{[^}]*?\b(?:w|t|h|words)\.([A-Za-z_]+)")
_CODE_USE = re.compile(r"\b(?:words|text|w)\[[\"']([A-Za-z_]+)[\"']\]")


def test_every_word_used_in_templates_and_code_exists() -> None:
    sv, en = glossary.words("sv"), glossary.words("en")
    missing = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".j2", ".py"):
            continue
        pattern = _TEMPLATE_USE if path.suffix == ".j2" else _CODE_USE
        for key in pattern.findall(path.read_text("utf-8")):
            if key not in sv or key not in en:
                try:
                    sv[key], en[key]
                except KeyError:
                    missing.append(f"{path.relative_to(PACKAGE)}: {key}")
    assert not missing, missing
