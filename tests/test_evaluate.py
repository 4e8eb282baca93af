"""When `zharshy eval` counts an answer as right: the gold answer occurs in it, as a whole."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from index.errors import QuestionSetError
from qa.evaluate import (
    LOSSES,
    Outcome,
    load_questions,
    matches,
    metrics,
    run,
    unknown_announcements,
)
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
        (["оценкой F"], "Пересдача с оценкой FX бесплатна.", False),  # Latin words end whole
        (["Хань Чуньлин"], "встреча с Послом Хань Чуньлином", True),  # Russian ones inflect
        (["ALT-Edu"], "Инструкция: help.alt.edu.kz.", False),  # a web address is one name
        (["ALT-Edu"], "The new network is called ALT Edu.", True),
        (["lib.alt.edu.kz/remote"], "Из дома: lib.alt.edu.kz/remote.", True),
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


def _written(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "ours.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_question_line_without_a_language_takes_the_questions(tmp_path: Path) -> None:
    path = _written(
        tmp_path,
        '{"question": "Жатақханаға қоныстану қашан басталады?", "doc_id": null, "answers": []}',
        '{"question": "Когда начнётся заселение в общежитие?", "doc_id": null, "answers": []}',
        '{"question": "宿舍什么时候开始入住？", "doc_id": null, "answers": []}',
        '{"question": "When does the move into the dormitory start?", "doc_id": null, '
        '"answers": [], "lang": "en"}',
    )
    assert [q.lang for q in load_questions(path)] == ["kk", "ru", "zh", "en"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "holds no questions"),
        (['{"question": "When?", "doc_id": null, "answers": []}', "{not json"], ":2: not a"),
        (['{"doc_id": null, "answers": []}'], ":1: not a question line"),
        # "2025" as a string would count "2", "0" and "5" each as a right answer.
        (['{"question": "When?", "doc_id": "a", "answers": "2025"}'], "must be lists"),
        (['{"question": "When?", "doc_id": 7, "answers": ["2025"]}'], "doc_id must be"),
    ],
)
def test_a_question_set_that_cannot_be_read_is_refused_by_line(
    tmp_path: Path, lines: list[str], message: str
) -> None:
    with pytest.raises(QuestionSetError, match=message):
        load_questions(_written(tmp_path, *lines))


def test_announcements_the_index_does_not_hold_are_named(
    service: QAService, tmp_path: Path
) -> None:
    path = _written(
        tmp_path,
        '{"question": "Когда?", "doc_id": "rector-scholarship-2024", "answers": ["2024"]}',
        '{"question": "Когда?", "doc_id": "rector-scholarship-2042", "answers": ["2024"], '
        '"also_doc_ids": ["rector-scholarship-2024-extended", "no-such-notice"]}',
    )
    assert unknown_announcements(load_questions(path), service) == [
        "no-such-notice",
        "rector-scholarship-2042",
    ]


def _outcome(lang: str, rank: int | None, answer: str | None, right: bool) -> Outcome:
    return Outcome(
        question="?",
        lang=lang,
        expected_doc_id="doc",
        doc_lang=lang,
        rank=rank,
        top_doc_ids=["doc"],
        answer=answer,
        candidate="2025",
        sentence=None,
        confidence=0.5,
        seconds=0.01,
        answer_correct=right,
    )


def test_each_answerable_question_is_counted_where_its_answer_is_lost() -> None:
    outcomes = [
        _outcome("kk", 1, "2025", right=True),
        _outcome("kk", 1, None, right=True),  # right, but the confidence withheld it
        _outcome("kk", 1, "2024", right=False),  # the right announcement, the wrong sentence
        _outcome("ru", 2, "2024", right=False),  # another announcement came first
        _outcome("ru", None, None, right=False),
    ]
    report = metrics(outcomes)
    kazakh = report["by_question_lang"]["kk"]
    assert [kazakh[k] for k in ("answered_right", "withheld_right", "first_but_wrong")] == [1, 1, 1]
    assert report["by_question_lang"]["ru"]["another_first"] == 2
    overall = report["overall"]
    assert sum(overall[loss] for loss in LOSSES) == overall["answerable"] == 5
