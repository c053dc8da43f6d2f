"""One exception hierarchy and the Problem record every stage reports through."""

from __future__ import annotations

import errno
import os
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


class OutputRefused(InsightmapError):
    """An output target would overwrite something insightmap does not own."""


class Busy(InsightmapError):
    """Another insightmap run holds the lock on the same folder."""


def shown_path(path: object) -> str:
    """Return a path printable on any terminal (undecodable bytes of a file name as escapes)."""
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: errno → (what happened, what to do); the world's errors in words, never "a bug".
_ENVIRONMENT_HINTS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space (or write elsewhere with -o) and run again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or ask for a larger quota, then run again"),
    errno.EACCES: ("permission denied", "check the owner and permissions of that path, or write elsewhere"),
    errno.EPERM: ("operation not permitted", "check the owner and permissions of that path"),
    errno.EROFS: (
        "the file system is read-only",
        "mount it writable, or write the output elsewhere with -o",
    ),
    errno.EBUSY: (
        "the path is busy (a mount point, or in use by another program)",
        "a mount point cannot be replaced: build into a folder inside it (e.g. -o site/www) or unmount it",
    ),
    errno.ELOOP: ("too many levels of symbolic links (a symlink loop)", "fix or remove the symbolic link"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter name or a shallower folder"),
    errno.EMFILE: ("too many open files", "raise the limit (ulimit -n) and run again"),
    errno.EIO: ("an input/output error from the disk", "check the disk or network share, then run again"),
    errno.ENOENT: ("no such file or folder", "check the path; was it removed while insightmap ran?"),
    errno.ENOTDIR: ("a part of the path is not a folder", "check the path"),
    errno.EISDIR: ("the path is a folder, not a file", "give a file name"),
    errno.ENOTEMPTY: ("the folder is not empty", "remove it or choose another path"),
    errno.EEXIST: ("the path exists already", "remove it or choose another path"),
    errno.EXDEV: ("the paths are on different file systems", "keep the output on one file system"),
}


def environment_message(exc: OSError) -> str:
    """Describe an operating-system error with its path(s) and what to do about it."""
    what, hint = _ENVIRONMENT_HINTS.get(exc.errno or -1, (exc.strerror or str(exc)[:300], ""))
    paths = [shown_path(p) for p in (exc.filename, exc.filename2) if p is not None]
    where = (" → ".join(paths) + ": ") if paths else ""
    text = f"{where}{what} [errno {errno.errorcode.get(exc.errno or -1, exc.errno)}]"
    return text + (f"\n    hint: {hint}" if hint else "")


class EnvironmentProblem(InsightmapError):
    """The file system refused (disk full, read-only, permissions …): bad environment, exit 1."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(environment_message(exc))
        self.os_error = exc
