"""`make bench`: how fast Zharshy is on this machine, on the bundled corpus and model.

Measures a cold ingest of corpus/ into a fresh index, a second ingest with nothing changed, and
the latency of `ask` over the dev question set. Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZHARSHY = str(Path(sys.executable).with_name("zharshy"))


def timed(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([ZHARSHY, *args], check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    from index.embedders import load_embedder
    from index.store import IndexReader
    from qa.evaluate import load_questions
    from qa.service import QAService

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ZHARSHY_INDEX_DIR": folder, "HF_HUB_OFFLINE": "1"}
        cold = timed("ingest", str(ROOT / "corpus"), env=env)
        warm = timed("ingest", str(ROOT / "corpus"), env=env)
        embedder = load_embedder("e5-small-q4")
        service = QAService(IndexReader(Path(folder), embedder.name), embedder)
        questions = load_questions(ROOT / "corpus" / "questions.jsonl")
        service.ask(questions[0].question)  # warm-up: language detector, caches
        seconds = []
        for item in questions:
            started = time.perf_counter()
            service.ask(item.question)
            seconds.append(time.perf_counter() - started)
    seconds.sort()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| `zharshy ingest corpus/`, empty index (process start to exit) | {cold:.1f} s |")
    print(f"| `zharshy ingest corpus/` again, nothing changed | {warm:.2f} s |")
    print(
        f"| `ask` latency p50 over {len(seconds)} dev questions (in process) | "
        f"{1000 * statistics.median(seconds):.0f} ms |"
    )
    print(f"| `ask` latency p95 | {1000 * seconds[int(0.95 * (len(seconds) - 1))]:.0f} ms |")


if __name__ == "__main__":
    main()
