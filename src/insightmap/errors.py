"""One exception hierarchy and the Problem record every stage reports through."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, order=True)
class Problem:
    """A located problem in a project file: `path:line: error[code]: message`."""

    path: str
    line: int
    code: str
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Render the problem as one line plus an optional hint line."""
        text = f"{self.path}:{self.line}: {self.severity}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready dict."""
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class InsightmapError(click.ClickException):
    """Base class of the errors the tool raises on purpose; printed without a traceback."""

    exit_code = 1


class ProjectNotFound(InsightmapError):
    """No insightmap.yml in the given folder or any parent."""

    exit_code = 2


class ProblemsFound(InsightmapError):
    """The records have problems that stop the command."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [p.format() for p in problems]
        lines.append(f"{len(problems)} problem(s) found; run `insightmap check` for details.")
        super().__init__("\n".join(lines))


class RecordSyntaxError(Exception):
    """A file cannot be read as a record; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def relpath(path: Path, root: Path) -> str:
    """Return path relative to root in POSIX form, or as given when outside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
