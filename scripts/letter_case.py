"""How much the first letter's case moves the ranking: each dev question is asked as written and
with its first letter's case flipped, and the questions whose first announcement changes are
listed (docs/quality.md, known gaps).

    .venv/bin/python scripts/letter_case.py [INDEX_DIR]   # default: data/index
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import load_questions  # noqa: E402
from qa.service import QAService  # noqa: E402
from settings import Settings  # noqa: E402


def main() -> None:
    index_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "index"
    service = QAService.from_settings(Settings(index_dir=index_dir))
    flipped = changed = lost = gained = 0
    for item in load_questions(ROOT / "corpus" / "questions.jsonl"):
        first = item.question[:1]
        if first.lower() == first.upper():  # Chinese, a digit: no case to flip
            continue
        other = first.swapcase() + item.question[1:]
        written = service.ask(item.question, today=item.asked).sources
        swapped = service.ask(other, today=item.asked).sources
        flipped += 1
        if not written or not swapped or written[0].doc_id == swapped[0].doc_id:
            continue
        changed += 1
        lost += item.doc_id in written[0].doc_ids
        gained += item.doc_id in swapped[0].doc_ids
        print(f"{item.question}\n    {written[0].doc_id} -> {swapped[0].doc_id}")
    print(
        f"{flipped} questions with a letter case; {changed} change the first announcement when "
        f"it is flipped: {lost} lose the expected one, {gained} gain it"
    )


if __name__ == "__main__":
    main()
