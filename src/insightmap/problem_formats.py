"""A project's problems, as `check` prints them: text, JSON, GitHub annotations, GitLab Code Quality."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from insightmap.errors import Problem

if TYPE_CHECKING:
    from insightmap.pipeline import Checked


def as_text(checked: Checked) -> str:
    """Return one located line (and hint) per problem, the privacy allow-list note and a summary."""
    problems, corpus = checked.problems, checked.corpus
    lines = [p.format() for p in problems]
    allow = checked.project.privacy_allow
    if allow:  # reviewed exceptions must stay visible, or they are forgotten
        lines.append(f"note: privacy allow-list: {len(allow)} reviewed exception(s) in insightmap.yml")
    errors = checked.errors
    warnings = len(problems) - len(errors)
    also = f", {warnings} warning(s)" if warnings else ""
    if errors:
        files = len({p.path for p in errors})
        records = len(corpus.insights) + len(corpus.studies)
        lines.append(f"{len(errors)} problem(s) in {files} file(s){also}; {records} valid record(s).")
    else:
        # Warnings do not fail `check` nor stop `build`: the project is OK, with something to look at.
        lines.append(
            f"OK: {len(corpus.insights)} insight(s) and {len(corpus.studies)} study(ies) "
            f"from {len(corpus.organisations())} organisation(s); "
            + (f"{warnings} warning(s)." if warnings else "no problems.")
        )
    return "\n".join(lines) + "\n"


def as_suggestions(checked: Checked) -> str:
    """Return `check --suggest`'s lines: each unlinked insight that a suggested cluster joins to another."""
    from insightmap.review.resemblance import strong_resemblances, suggestion_lines

    corpus = checked.corpus
    lines = suggestion_lines(strong_resemblances(corpus), lambda key: corpus.organisation(key).name)
    return "".join(f"{line}\n" for line in lines)


def as_json(checked: Checked) -> str:
    """Return the problems as a JSON list of objects."""
    return _dumps([p.to_dict() for p in checked.problems])


def as_github(checked: Checked) -> str:
    """Return GitHub Actions workflow commands: each line becomes an annotation on the file."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for p in checked.problems:
        message = p.message + (f"\nhint: {p.hint}" if p.hint else "")
        kind = "warning" if p.severity == "warning" else "error"
        title = prop(f"insightmap {p.code}")
        lines.append(f"::{kind} file={prop(p.path)},line={p.line},title={title}::{data(message)}")
    return "".join(f"{line}\n" for line in lines)


def as_gitlab(checked: Checked) -> str:
    """Return a GitLab Code Quality report (artifacts: reports: codequality)."""
    return _dumps([_gitlab_issue(p) for p in checked.problems])


def _gitlab_issue(p: Problem) -> dict[str, object]:
    """Return one problem as a Code Quality issue; the fingerprint keeps it the same across runs."""
    fingerprint = hashlib.sha256(f"{p.path}:{p.line}:{p.code}:{p.message}".encode()).hexdigest()[:32]
    return {
        "description": p.message + (f" (hint: {p.hint})" if p.hint else ""),
        "check_name": f"insightmap/{p.code}",
        "fingerprint": fingerprint,
        "severity": "minor" if p.severity == "warning" else "major",
        "location": {"path": p.path, "lines": {"begin": p.line}},
    }


def _dumps(data: object) -> str:
    """Return stable, indented JSON with a final newline (as the other commands print it)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: `check --format` → the function that writes it.
FORMATS: dict[str, Callable[[Checked], str]] = {
    "text": as_text,
    "json": as_json,
    "github": as_github,
    "gitlab": as_gitlab,
}
