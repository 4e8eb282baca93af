"""The qa service over the default corpus with the bundled model: the questions users ask."""

from __future__ import annotations

from datetime import date

import pytest

from qa.retrieve import Filters
from qa.service import QAService

SEED = "alt-university-china-embassy-visit"

pytestmark = pytest.mark.slow


DATED_QUESTIONS = [
    ("when was the Luban workshop awarded?", "2025"),
    ("When was the Luban workshop awarded?", "2025"),
    ("Когда ALT University получил проект «Мастерская Лу Бань»?", "2025"),
    ("Лу Бань шеберханасы қашан берілді?", "2025"),
    ("鲁班工坊是哪一年授予的？", "2025"),
    ("When did the Silk Road scientific workshop open?", "2023"),
]


@pytest.mark.parametrize(("question", "year"), DATED_QUESTIONS)
def test_dated_questions_in_four_languages_cite_the_seed(
    service: QAService, question: str, year: str
) -> None:
    reply = service.ask(question, min_confidence=0.0)
    assert reply.sources[0].doc_id == SEED
    assert reply.answer is not None and year in reply.answer, reply
    assert reply.sentence is not None and year in reply.sentence
    first = reply.sources[0]
    start, end = first.highlight[0]
    assert first.text[start:end] == reply.sentence
    span_start, span_end = first.highlight[1]
    assert year in first.text[span_start:span_end]


@pytest.mark.parametrize(("question", "year"), DATED_QUESTIONS)
def test_dated_questions_pass_the_confidence_gate(
    service: QAService, question: str, year: str
) -> None:
    reply = service.ask(question)
    assert reply.answer is not None and year in reply.answer


def test_question_the_announcements_cannot_answer(service: QAService) -> None:
    reply = service.ask("When is the chess tournament on Mars?")
    assert reply.answer is None
    assert reply.sources, "sources are listed even without an answer"
    assert reply.message and "no confident answer" in reply.message


def test_confidence_does_not_depend_on_how_many_sources_are_asked_for(
    service: QAService,
) -> None:
    question = DATED_QUESTIONS[0][0]
    one, ten = service.ask(question, k=1), service.ask(question, k=10)
    assert (len(one.sources), len(ten.sources)) == (1, 10)
    assert one.confidence == ten.confidence
    assert one.answer == ten.answer


def test_no_answer_keeps_sources_and_says_why(service: QAService) -> None:
    reply = service.ask("When is the chess tournament on Mars?", min_confidence=1.0)
    assert reply.answer is None and reply.sources
    assert reply.message and "no confident answer" in reply.message


def test_search_lists_each_announcement_once_and_honours_filters(service: QAService) -> None:
    sources = service.search("стипендия", k=10)
    ids = [s.doc_id for s in sources]
    assert len(ids) == len(set(ids)) == 10
    # By score, except that a newer version of a notice may go before the one it changes.
    ranked = sources[1:] if sources[0].supersedes else sources
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    kazakh = service.search("стипендия", k=5, filters=Filters(lang="kk"))
    assert kazakh and all(s.lang == "kk" for s in kazakh)
    recent = service.search("стипендия", k=5, filters=Filters(since="2025-01-01"))
    assert recent and all(s.date is not None and s.date >= "2025-01-01" for s in recent)


def test_a_moved_deadline_answers_with_the_newer_announcement(service: QAService) -> None:
    reply = service.ask("До какого числа принимаются заявления на общежитие?", min_confidence=0)
    first = reply.sources[0]
    assert first.doc_id == "dormitory-applications-2025-extended"
    assert first.supersedes is not None
    assert first.supersedes["doc_id"] == "dormitory-applications-2025"
    assert reply.answer == "2025-09-20"
    assert reply.message and "changes an earlier one" in reply.message


def test_what_a_later_notice_leaves_out_comes_from_the_original(service: QAService) -> None:
    # The extension moves the deadline and says nothing of how many projects are funded.
    question = "How many projects will the 2024 internal research grant competition fund?"
    reply = service.ask(question, min_confidence=0)
    assert [s.doc_id for s in reply.sources[:2]] == [
        "internal-research-grants-2024",
        "internal-research-grants-2024-extended",
    ]
    assert reply.answer == "12 projects"
    assert reply.message and "A later announcement changes this one" in reply.message
    deadline = service.ask("What is the deadline for 2024 internal research grant proposals?")
    assert deadline.sources[0].doc_id == "internal-research-grants-2024-extended"


@pytest.mark.parametrize(
    ("question", "shown", "folded"),
    [
        ("Наурыз мерекесі қашан өтеді?", "nauryz-2025-kk", "nauryz-2025"),
        ("Когда пройдёт празднование Наурыза?", "nauryz-2025", "nauryz-2025-kk"),
    ],
)
def test_translations_are_one_source_in_the_question_language(
    service: QAService, question: str, shown: str, folded: str
) -> None:
    sources = service.ask(question, min_confidence=0).sources
    assert sources[0].doc_id == shown
    assert [v["doc_id"] for v in sources[0].versions] == [folded]
    assert folded not in [s.doc_id for s in sources]


LAST_YEARS_HACKATHON = "Когда прошёл хакатон ALT Hack в прошлом году?"


@pytest.mark.parametrize(
    ("question", "today", "expected"),
    [
        ("Когда прошёл хакатон ALT Hack в прошлом году?", date(2026, 11, 26), "alt-hack-2025"),
        (
            "Когда прошёл хакатон ALT Hack в прошлом году?",
            date(2024, 5, 1),
            "alt-hack-2023-results",
        ),
        ("去年的ALT Hack黑客马拉松是什么时候举行的？", date(2026, 11, 26), "alt-hack-2025"),
        ("Соңғы ALT Hack хакатоны қашан өтті?", date(2026, 11, 26), "alt-hack-2025"),
        ("When was the latest ALT Hack hackathon held?", date(2026, 11, 26), "alt-hack-2025"),
    ],
)
def test_time_in_the_question_picks_the_announcement_of_that_time(
    service: QAService, question: str, today: date, expected: str
) -> None:
    reply = service.ask(question, min_confidence=0, today=today)
    assert reply.sources[0].doc_id == expected
    if "прошлом" in question or "去年" in question:
        assert reply.message and f"is read as {today.year - 1}" in reply.message
    if "latest" in question:  # the 2023 hackathon's results notice says more of its words
        assert reply.message and "newer than «Итоги хакатона ALT Hack 2023»" in reply.message
