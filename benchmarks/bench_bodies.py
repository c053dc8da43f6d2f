"""Time the body pre-check and the rendering of what it lets through, against a plain floor.

    python benchmarks/bench_bodies.py

Prints seconds and the ratio to the floor (rendering a plain 100 KB body) measured in the
same run: the worst bodies the pre-check allows must render in a small multiple of it, and
the pre-check must refuse each hostile body in a small multiple of reading it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from insightmap.load.validate import body_complexity  # noqa: E402
from insightmap.render.body import body_html  # noqa: E402
from test_check import HOSTILE_BODIES  # noqa: E402


def best(func, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Return the best of a few timings (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    plain = ("Invånare vill kunna ringa tidigt på morgonen och få svar samma dag.\n\n" * 1_500)[:100_000]
    floor = best(lambda: body_html(plain))
    print(f"floor: render a plain 100 KB body  {floor:.3f} s")
    paragraph = "Invånare [vill](https://example.se) ringa **tidigt**, se `tider` och <em>mer</em>.\n"
    allowed = {
        "ordinary 100 KB (lists, quotes, links)": "\n".join(
            f"## Del {i}\n\n- {paragraph}    - {paragraph}\n> {paragraph}" for i in range(400)
        ),
        "800 × [ (the most allowed)": "[" * 800,
    }
    for name, body in allowed.items():
        assert body_complexity(body) is None, name
        seconds = best(lambda body=body: body_html(body))
        print(f"render {name:40} {seconds:.3f} s  {seconds / floor:5.1f}× floor")
    for name, body in HOSTILE_BODIES.items():
        assert body_complexity(body) is not None, name
        seconds = best(lambda body=body: body_complexity(body))
        print(f"refuse {name:40} {seconds:.4f} s  {seconds / floor:5.2f}× floor")


if __name__ == "__main__":
    main()
