"""Plain git, called safely: no shell, no hooks, no prompts, an allow-list of protocols, `--` before values.

The URL and ref were checked when insightmap.yml was read (config.py); here they are
still passed after `--` or inside a refspec, so that no value can become an option.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from insightmap.errors import InsightmapError
from insightmap.sources.config import Source

#: Every git call: no hooks of any repository, and only https, ssh and file transports
#: (`ext::` and the rest could run commands).
SAFE = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "protocol.allow=never",
    "-c",
    "protocol.https.allow=always",
    "-c",
    "protocol.ssh.allow=always",
    "-c",
    "protocol.file.allow=always",
)
#: Where a fetched ref lands, and the ref that keeps the locked commit from being pruned.
FETCHED = "refs/insightmap/fetched"
LOCKED = "refs/insightmap/locked"
FETCH_SECONDS = 600


class SourceGitError(InsightmapError):
    """git could not fetch or read a source (no git, unreachable, unknown ref)."""


def repository(root: Path, name: str) -> Path:
    """Return the bare repository a git source is fetched into: build/sources/<name>.git."""
    return root / "build" / "sources" / f"{name}.git"


def _run(args: list[str], timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    # A non-interactive ssh: a host key or password prompt would wait forever.
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        return subprocess.run(
            ["git", *SAFE, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise SourceGitError("git is not installed or not on PATH; sources are fetched with git") from exc
    except subprocess.TimeoutExpired as exc:
        raise SourceGitError(f"git took more than {timeout:.0f} s and was stopped") from exc


def _git(repo: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    return _run(["--git-dir", str(repo), *args], timeout)


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return lines[-1].strip() if lines else f"git exited with {done.returncode}"


def fetch(root: Path, source: Source) -> str:
    """Fetch the source's ref into its bare repository and return the commit it names."""
    assert source.git is not None
    repo = repository(root, source.name)
    if not (repo / "HEAD").is_file():
        repo.parent.mkdir(parents=True, exist_ok=True)
        done = _run(["init", "--bare", "--quiet", str(repo)])
        if done.returncode != 0:
            raise SourceGitError(f"{source.name}: cannot create {repo}: {_last_line(done)}")
    # The ref was checked (no `:`, no leading `-` or `+`), so the refspec is only what it says.
    done = _git(
        repo,
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-recurse-submodules",
        "--",
        source.git,
        f"+{source.ref}:{FETCHED}",
        timeout=FETCH_SECONDS,
    )
    if done.returncode != 0:
        raise SourceGitError(
            f"{source.name}: cannot fetch `{source.ref}` from {source.git}: {_last_line(done)}"
        )
    commit = commit_of(repo, FETCHED)
    if commit is None:
        raise SourceGitError(f"{source.name}: `{source.ref}` names no commit in {source.git}")
    return commit


def commit_of(repo: Path, rev: str) -> str | None:
    """Return the full commit id rev names in repo, or None."""
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def commit_date(repo: Path, commit: str) -> str:
    """Return the commit's date as ISO 8601 (the committer's date, with its offset)."""
    done = _git(repo, "show", "-s", "--format=%cI", "--end-of-options", commit)
    return done.stdout.strip() if done.returncode == 0 else ""


def commits_between(repo: Path, old: str, new: str) -> int | None:
    """Return how many commits new has that old has not (None when old is unknown here)."""
    done = _git(repo, "rev-list", "--count", "--end-of-options", f"{old}..{new}")
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip().isdigit() else None


def keep(repo: Path, commit: str) -> None:
    """Point refs/insightmap/locked at the locked commit, so that no git gc prunes it."""
    done = _git(repo, "update-ref", LOCKED, commit)
    if done.returncode != 0:
        raise SourceGitError(f"cannot keep {commit[:7]} in {repo}: {_last_line(done)}")
