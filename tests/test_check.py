"""`insightmap check`: every kind of problem is located, explained and exits 1."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import record, study


def check(run, root):
    result = run("-C", root, "check")
    return result.exit_code, result.output


def test_clean_project_exits_0(corpus, run):
    root = corpus({"insights/a.md": record(), "insights/s.md": study()})
    code, out = check(run, root)
    assert code == 0, out
    assert "1 insight(s) and 1 study(ies)" in out


@pytest.mark.parametrize(
    ("text", "line", "code", "message"),
    [
        (
            record().replace("title: Invånare vill kunna ringa tidigt på morgonen.\n", ""),
            1,
            "missing",
            "the required field `title` is missing",
        ),
        (record(perspective="[riskgrup]"), 3, "vocabulary", "unknown perspective `riskgrup`"),
        (
            record(subpopulation="[adults, barnen]"),
            4,
            "vocabulary",
            "unknown subpopulation `barnen`",
        ),
        (record(shift="[akut-till-förebyggande]"), 7, "vocabulary", "unknown shift"),
        (record(colour="blue"), 7, "unknown-key", "unknown field `colour`"),
        (record(date='"2024-02-30"'), 6, "date", "not a real calendar date"),
        (record(date='"2024-13"'), 6, "date", "has no month 13"),
        (record(date='"förra året"'), 6, "date", "is not a date"),
        (record(organisation="karlskorna"), 5, "organisation", "unknown organisation `karlskorna`"),
        (record(organisation="0127"), 5, "type", "not a number"),
        (record(title="x" * 161), 2, "title-length", "title is 161 characters"),
        (record(visibility="hemlig"), 7, "visibility", "visibility must be one of"),
        (record(study="karlskrona/finns-inte"), 7, "unknown-study", "no study with id"),
        (record(quotes="[1, 2]"), 7, "type", "quotes must be a list of texts"),
        (record(perspective="[]"), 3, "perspective", "at least one perspective is needed"),
        (record(kind="artikel"), 7, "kind", "kind must be `insight`, `study` or `action`"),
    ],
)
def test_record_problems_are_located(corpus, run, text, line, code, message):
    root = corpus({"insights/a.md": text})
    exit_code, out = check(run, root)
    assert exit_code == 1
    assert f"insights/a.md:{line}: error[{code}]: " in out, out
    assert message in out


def test_did_you_mean_hint(corpus, run):
    root = corpus({"insights/a.md": record(perspective="[risk-grupp]", tema="[law]")})
    _, out = check(run, root)
    assert "did you mean `risk-group`?" in out
    assert "did you mean `theme`?" in out


def test_labels_and_keys_are_accepted_case_insensitively(corpus, run):
    root = corpus(
        {
            "insights/a.md": record(
                perspective="[Riskgrupp, GENERAL PUBLIC]",
                subpopulation="Barn och unga",
                method="Intervjuer",
            )
        }
    )
    code, out = check(run, root)
    assert code == 0, out


def test_extension_fields_are_allowed(corpus, run):
    root = corpus({"insights/a.md": record(x_projekt="TITI")})
    assert check(run, root)[0] == 0


def test_duplicate_ids(corpus, run):
    root = corpus({"insights/a.md": record(id="samma"), "insights/b.md": record(id="samma")})
    code, out = check(run, root)
    assert code == 1
    assert "insights/b.md:7: error[duplicate-id]: the id `samma` is also used by insights/a.md" in out


def test_record_id_colliding_with_study(corpus, run):
    root = corpus({"insights/s.md": study(), "insights/a.md": record(id="s")})
    code, out = check(run, root)
    assert code == 1 and "duplicate-id" in out


def test_study_status_and_reference(corpus, run):
    root = corpus(
        {
            "insights/s.md": study(status="kanske"),
            "insights/a.md": record(study="s"),
        }
    )
    code, out = check(run, root)
    assert code == 1
    assert "insights/s.md:4: error[status]: status must be one of planned, ongoing, completed" in out


def test_study_reference_resolves(corpus, run):
    root = corpus({"insights/k/s.md": study(), "insights/a.md": record(study="k/s")})
    assert check(run, root)[0] == 0


def test_folder_defaults_from_meta(corpus, run):
    text = record().replace("organisation: karlskrona\n", "")
    root = corpus({"insights/grums/.meta.yml": "organisation: grums\n", "insights/grums/a.md": text})
    result = run("-C", root, "list", "--format", "json")
    assert json.loads(result.output)[0]["organisation"] == "grums"


def test_nearer_meta_wins_and_record_wins_over_all(corpus, run):
    text = record().replace("organisation: karlskrona\n", "")
    root = corpus(
        {
            "insights/.meta.yml": "organisation: grums\nvisibility: public\n",
            "insights/sub/.meta.yml": "organisation: nora\n",
            "insights/sub/a.md": text,
            "insights/sub/b.md": record(organisation="umea"),
        }
    )
    rows = {r["id"]: r for r in json.loads(run("-C", root, "list", "--format", "json").output)}
    assert rows["sub/a"]["organisation"] == "nora"
    assert rows["sub/a"]["visibility"] == "public"
    assert rows["sub/b"]["organisation"] == "umea"


def test_problem_in_meta_points_to_meta(corpus, run):
    text = record().replace("organisation: karlskrona\n", "")
    root = corpus({"insights/x/.meta.yml": "organisation: grums\nfarg: blå\n", "insights/x/a.md": text})
    _, out = check(run, root)
    assert "insights/x/.meta.yml:2: error[unknown-key]: unknown field `farg`" in out


def test_municipality_by_scb_code_and_config_organisation(corpus, run):
    root = corpus(
        {
            "insights/a.md": record(organisation='"1080"'),
            "insights/b.md": record(organisation="sodermalm"),
        }
    )
    rows = {r["id"]: r for r in json.loads(run("-C", root, "list", "--format", "json").output)}
    assert rows["a"]["organisation"] == "karlskrona"
    assert rows["b"]["organisation"] == "sodermalm"


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("---\ntitle: [oavslutad\n---\n", "yaml", 2),
        ("ingen front-matter här\n", "no-front-matter", 1),
        ("---\n- en\n- lista\n---\n", "front-matter", 2),
        (b"---\ntitle: caf\xe9\n---\n", "encoding", 2),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary", 3),
        ("", "empty", 1),
        ("---\ntitle: x\n", "front-matter", 1),
        ("---\ntitle: a\ntitle: b\n---\n", "duplicate-key", 3),
        ("---\nyes: x\n---\n", "key-type", 2),
        ("---\ntitle: x\nperspective:\n\t- risk-group\n---\n", "yaml", 4),
    ],
)
def test_malformed_files_give_located_messages(corpus, run, content, code, line):
    root = corpus({"insights/a.md": content})
    exit_code, out = check(run, root)
    assert exit_code == 1
    assert f"insights/a.md:{line}: error[{code}]" in out, out
    assert "Traceback" not in out


def test_bom_and_crlf_are_fine(corpus, run):
    text = record().replace("\n", "\r\n")
    root = corpus({"insights/a.md": b"\xef\xbb\xbf" + text.encode("utf-8")})
    code, out = check(run, root)
    assert code == 0, out


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Kontakta mig på anna.andersson@example.se", "e-mail"),
        ("Ring 070-123 45 67 efter lunch", "phone"),
    ],
)
def test_personal_data_is_an_error(corpus, run, body, kind):
    root = corpus({"insights/a.md": record(body=body)})
    code, out = check(run, root)
    assert code == 1
    assert "error[personal-data]" in out and kind in out
    assert "insights/a.md:9:" in out


def _luhn_number(prefix: str) -> str:
    digits = [int(d) for d in prefix]
    total = 0
    for i, d in enumerate(digits):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def test_personnummer_is_an_error_but_not_shown(corpus, run):
    number = _luhn_number("811218987")
    root = corpus({"insights/a.md": record(body=f"Personen ({number[:6]}-{number[6:]}) berättade.")})
    code, out = check(run, root)
    assert code == 1
    assert "personnummer" in out
    assert number[6:] not in out  # the full number is never echoed


def test_json_format(corpus, run):
    root = corpus({"insights/a.md": record(perspective="[riskgrup]")})
    result = run("-C", root, "check", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert problems[0]["path"] == "insights/a.md"
    assert problems[0]["line"] == 3
    assert problems[0]["code"] == "vocabulary"
    assert problems[0]["hint"] == "did you mean `risk-group`?"


def test_broken_config_is_located(corpus, run):
    root = corpus({"insights/a.md": record()}, config="language: sv\norganisations:\n  x: {type: kyrka}\n")
    code, out = check(run, root)
    assert code == 1
    assert "insightmap.yml:2: error[organisation]" in out


def test_config_code_must_be_quoted(corpus, run):
    root = corpus({}, config="organisations:\n  botkyrka: {code: 0127}\n")
    _, out = check(run, root)
    assert "code must be a quoted four-digit SCB code" in out


def test_vocabulary_extension(corpus, run):
    config = "vocabulary:\n  subpopulation:\n    students: {sv: Studenter, en: Students}\n"
    root = corpus({"insights/a.md": record(subpopulation="[Studenter]")}, config=config)
    code, out = check(run, root)
    assert code == 0, out


def test_no_project_is_a_usage_error(tmp_path, run):
    result = run("-C", tmp_path, "check")
    assert result.exit_code == 2
    assert "no insightmap.yml" in result.output


def test_wrong_usage_exits_2(corpus, run):
    root = corpus({})
    assert run("-C", root, "check", "--format", "xml").exit_code == 2


#: Bodies that stalled (20 KB of `[` took 55 s) or crashed (RecursionError) Python-Markdown.
HOSTILE_BODIES = {
    "20 KB of [": "[" * 20_000,
    "link targets never closed": "[a](" * 5_000,
    "tags never closed": "\n\n".join(["<b " * 80] * 100),
    "900-level nested list": "\n".join("\t" * i + "- x" for i in range(900)),
    "lists on one line": "1. " * 2_000,
    "quotes on one line": "> " * 2_000,
    "headings in one paragraph": "#\n" * 10_000,
}


@pytest.mark.parametrize("kind", list(HOSTILE_BODIES))
def test_hostile_body_is_refused_before_it_is_rendered(corpus, run, kind):
    # The pre-check is one linear pass; its time is measured by benchmarks/bench_bodies.py.
    root = corpus({"insights/a.md": record(body=HOSTILE_BODIES[kind])})
    code, out = check(run, root)
    assert code == 1
    assert re.search(r"insights/a\.md:\d+: error\[body-too-complex\]: the body is too complex", out), out
    assert out.count("error[") == 1


def test_the_pre_check_lets_ordinary_long_bodies_through_and_draws_a_line():
    """A 100 KB ordinary body passes and renders; 800 `[` pass, 1,000 do not.

    How fast what passes renders is measured by benchmarks/bench_bodies.py, not here.
    """
    from insightmap.load.validate import body_complexity
    from insightmap.render.body import body_html as render_body

    paragraph = "Invånare [vill](https://example.se) ringa **tidigt**, se `tider` och <em>mer</em>.\n"
    normal = "\n".join(f"## Del {i}\n\n- {paragraph}    - {paragraph}\n> {paragraph}" for i in range(400))
    assert len(normal) > 100_000 and body_complexity(normal) is None
    brackets = "[" * 800
    assert body_complexity(brackets) is None and body_complexity("[" * 1_000) is not None
    assert "Del 399" in render_body(normal, allow_raw_html=False)
    assert render_body(brackets, allow_raw_html=False).count("[") == 800


def test_fenced_code_is_not_counted(corpus, run):
    code_block = "```\n" + "[" * 5_000 + "\n" + "\n".join("    " * i + "- x" for i in range(200)) + "\n```"
    root = corpus({"insights/a.md": record(body=code_block)})
    exit_code, out = check(run, root)
    assert exit_code == 0, out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab [](<>)#-*+>1. \t\n\\`~=_")), max_size=3_000))
def test_the_quick_bound_never_lets_through_what_the_exact_model_refuses(body: str) -> None:
    from insightmap.load.bodylimits import _surely_simple, exact_complexity

    if _surely_simple(body):
        assert exact_complexity(body) is None


@pytest.mark.parametrize("kind", list(HOSTILE_BODIES))
def test_hostile_bodies_are_not_taken_for_simple(kind: str) -> None:
    from insightmap.load.bodylimits import _surely_simple

    assert not _surely_simple(HOSTILE_BODIES[kind])


def test_an_ordinary_body_takes_the_quick_path() -> None:
    from insightmap.load.bodylimits import _surely_simple

    paragraph = "Invånare vill kunna [ringa](https://example.se) tidigt, innan jobbet börjar.\n"
    body = "\n".join(f"{paragraph}\n- {paragraph}" for _ in range(8))  # about 1.3 KB, 32 lines
    assert _surely_simple(body)
