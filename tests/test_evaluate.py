"""When `zharshy eval` counts an answer as right: the gold answer occurs in it, as a whole."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from qa.evaluate import load_questions, matches, run
from qa.service import QAService


@pytest.mark.parametrize(
    ("gold", "text", "right"),
    [
        (["15"], "Опоздавшие более чем на 15 минут не допускаются.", True),
        (["15"], "Общежитие на 150 мест.", False),  # a number is not part of a longer one
        (["150000"], "Грант — 150 000 тенге.", True),  # digits grouped by spaces
        (["2023-04-11"], "The workshop opened on 11 April 2023.", True),  # dates in ISO form
        (["Transport and Logistics"], "the faculty of transport and logistics won", True),
        (["B2"], "Требуется уровень английского B2 или выше.", True),
        (["B2"], "Корпус B25.", False),
        # A Chinese answer has no word edge: it may run straight into digits or characters.
        (["每周二和周四"], "课程为期16周，每周二和周四18:30至20:00上课。", True),
        (["结业证书"], "出勤率达到80%的学员可获得结业证书。", True),
        (["18"], "首批18名交换生抵达阿拉木图。", True),
        (["18"], "首批180名交换生抵达阿拉木图。", False),
    ],
)
def test_a_gold_answer_counts_where_it_occurs_whole(
    gold: list[str], text: str, right: bool
) -> None:
    assert matches(gold, text) is right


def test_a_date_without_its_year_takes_the_publication_year() -> None:
    assert matches(["2024-08-30"], "Қоныстану 30 тамызда басталады.", date(2024, 8, 1))


def test_an_announcement_that_restates_the_answer_counts_as_its_source(
    service: QAService, tmp_path: Path
) -> None:
    # The notice extending the rector's scholarship competition restates its conditions.
    question = "Какой минимальный GPA нужен для участия в конкурсе на стипендию ректора?"
    lines: list[dict[str, object]] = [
        {"question": question, "doc_id": "rector-scholarship-2024"},
        {"question": question, "doc_id": "rector-scholarship-2024-extended"},
        {
            "question": question,
            "doc_id": "rector-scholarship-2024",
            "also_doc_ids": ["rector-scholarship-2024-extended"],
        },
    ]
    path = tmp_path / "questions.jsonl"
    path.write_text(
        "\n".join(json.dumps({**line, "answers": ["3,5"], "lang": "ru"}) for line in lines),
        encoding="utf-8",
    )
    original, restating, either = run(service, load_questions(path))
    assert original.rank is not None and restating.rank is not None
    assert either.rank == min(original.rank, restating.rank) == 1
    assert either.answer_correct
