"""The benchmark corpus generator writes valid, deterministic projects."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from generate import generate  # noqa: E402


def _digest(root: Path) -> str:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def test_generated_corpus_passes_check_and_is_deterministic(tmp_path, run):
    first = generate(tmp_path / "a", 60, organisations=7)
    second = generate(tmp_path / "b", 60, organisations=7)
    assert _digest(first) == _digest(second)
    result = run("-C", first, "check")
    assert result.exit_code == 0, result.output
    assert "60 insight(s)" in result.output
