"""Property-based tests: arbitrary text never breaks the loader or the vocabulary normaliser."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insightmap.errors import Problem, RecordSyntaxError
from insightmap.load import load
from insightmap.load.project import open_project
from insightmap.load.vocabulary import VOCABULARY_FIELDS, builtin
from insightmap.load.yamlfile import Mapping, parse_mapping, read_document

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Text that looks like YAML often enough to reach the parser's deeper paths.
YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc-:[]{},&*!|>'\"#%@` \t\n\r?") + ["å", "\x00", "\ufeff", "\x85"]),
    max_size=200,
)
ANY_TEXT = st.one_of(st.text(max_size=300), YAMLISH)
FRONT = st.builds(lambda a, b: f"---\n{a}\n---\n{b}", YAMLISH, st.text(max_size=50))


@FAST
@given(ANY_TEXT)
def test_parse_mapping_returns_a_mapping_or_its_own_error(text):
    try:
        mapping = parse_mapping(text, "x.yml", first_line=1)
    except RecordSyntaxError as exc:
        assert exc.problem.path == "x.yml"
        assert exc.problem.line >= 1
        return
    assert isinstance(mapping, Mapping)
    assert all(isinstance(key, str) for key in mapping.values)
    assert all(line >= 1 for line in mapping.lines.values())


@FAST
@given(st.one_of(st.binary(max_size=300), FRONT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_read_document_raises_only_its_own_error(tmp_path_factory, data):
    path = Path(tmp_path_factory.mktemp("doc")) / "a.md"
    path.write_bytes(data)
    try:
        document = read_document(path, "insights/a.md")
    except RecordSyntaxError as exc:
        assert exc.problem.line >= 1
        assert "\n" not in exc.problem.message
        return
    assert document.body_line >= 3


@pytest.fixture(scope="module")
def project_root(tmp_path_factory) -> Path:
    root = Path(tmp_path_factory.mktemp("project"))
    (root / "insightmap.yml").write_text("language: sv\n", encoding="utf-8")
    (root / "insights").mkdir()
    return root


@FAST
@given(st.lists(st.one_of(FRONT, st.text(max_size=100)), min_size=1, max_size=3))
def test_load_turns_any_files_into_problems(project_root, texts):
    folder = project_root / "insights"
    for old in folder.iterdir():
        old.unlink()
    for i, text in enumerate(texts):
        (folder / f"r{i}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    corpus, problems = load(open_project(project_root))
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)
    assert len(corpus.insights) + len(corpus.studies) + len({p.path for p in problems}) >= len(texts)


@FAST
@given(st.sampled_from(VOCABULARY_FIELDS), ANY_TEXT)
def test_normalise_and_suggest_never_raise(name, value):
    vocabulary = builtin()
    key = vocabulary.normalise(name, value)
    assert key is None or key in vocabulary.keys(name)
    suggestion = vocabulary.suggest(name, value)
    assert suggestion is None or suggestion in vocabulary.keys(name)


TERMS = [(name, key) for name in VOCABULARY_FIELDS for key in builtin().keys(name)]


@FAST
@given(st.sampled_from(TERMS), st.sampled_from(["key", "sv", "en"]), st.data())
def test_key_and_labels_normalise_to_the_key_in_any_case(term, form, data):
    name, key = term
    vocabulary = builtin()
    entry = vocabulary.term(name, key)
    written = {"key": key, "sv": entry.sv, "en": entry.en}[form]
    # Random upper/lower case per character, and surrounding whitespace.
    flips = data.draw(st.lists(st.booleans(), min_size=len(written), max_size=len(written)))
    cased = "".join(c.upper() if flip else c.lower() for c, flip in zip(written, flips, strict=True))
    padding = data.draw(st.sampled_from(["", " ", "  ", "\t"]))
    assert vocabulary.normalise(name, padding + cased + padding) == key


@FAST
@given(st.sampled_from(TERMS))
def test_dash_underscore_and_space_are_the_same(term):
    name, key = term
    vocabulary = builtin()
    for variant in (key.replace("-", " "), key.replace("-", "_"), key.upper().replace("-", "_")):
        assert vocabulary.normalise(name, variant) == key


FOLDER = st.one_of(
    st.just("."),
    st.lists(st.sampled_from(["insikter", "a", "b", "kartor", "å ä", "..", ".", ""]), min_size=1, max_size=4)
    .map("/".join)
    .filter(bool),  # relative() passes "." for the root, never ""
)


@FAST
@given(FOLDER, FOLDER)
def test_links_between_pages_are_what_posixpath_relpath_gives(target, page):
    """The quick relative path (every link of every page) agrees with the standard library."""
    import posixpath

    from insightmap.site.urls import _relpath

    assert _relpath(target, page) == posixpath.relpath(target, page)
