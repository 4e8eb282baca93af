"""The dev question set as a regression gate: `zharshy eval` with thresholds, as in `make eval`.

The thresholds sit a little below what docs/quality.md reports, per question language, so a
change that loses quality anywhere fails here; raise them when quality improves.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

ZHARSHY = str(Path(sys.executable).with_name("zharshy"))
THRESHOLDS = {
    # Issue 4's bar; the lowest language is Kazakh (0.953).
    "recall@5": 0.95,
    # The lowest languages (docs/quality.md, at e2d23d2): Kazakh for MRR (0.917) and the
    # sentence (0.797, 51 of 64), Chinese for the answer (0.719, 23 of 32): each a question
    # or two above its threshold.
    "mrr@10": 0.9,
    "sentence_accuracy": 0.78,
    "answer_accuracy": 0.68,
    # The lowest language is Russian (9 of its 16, 0.56): unanswerable questions are mostly
    # answered from announcements in other languages, where nothing lexical tells them apart,
    # and word translations (index/lexicon.py) lend some of those sentences the question's
    # words.
    "abstention_recall": 0.5,
}


def test_dev_set_quality_holds_in_every_language(corpus_index: Path) -> None:
    requirements = [f"--require={metric}={value}" for metric, value in THRESHOLDS.items()]
    result = subprocess.run(
        [
            ZHARSHY,
            "--index-dir",
            str(corpus_index),
            "eval",
            str(CORPUS / "questions.jsonl"),
            *requirements,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "overall" in result.stdout
