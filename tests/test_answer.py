"""Answer spans: what kind of answer a question wants, and which part of a sentence gives it."""

from __future__ import annotations

import pytest

from index.lexical import query_terms
from qa.answer import AnswerKind, answer_kind, date_spans, extract_span


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when was the Luban workshop awarded?", AnswerKind.TIME),
        ("Когда ALT University получил проект?", AnswerKind.TIME),
        ("Лу Бань шеберханасы қашан берілді?", AnswerKind.TIME),
        ("鲁班工坊是哪一年授予的？", AnswerKind.TIME),
        ("Сколько стоит обед?", AnswerKind.NUMBER),
        ("Шәкіртақы айына қанша?", AnswerKind.NUMBER),
        ("多少名学生？", AnswerKind.NUMBER),
        ("Во сколько отправляется последний шаттл?", AnswerKind.CLOCK),
        ("Who leads the project?", AnswerKind.NAME),
        ("Why was the deadline extended?", AnswerKind.SENTENCE),
    ],
)
def test_answer_kind_in_four_languages(question: str, kind: AnswerKind) -> None:
    assert answer_kind(question) is kind


def _span(question: str, sentence: str, lang: str) -> str | None:
    terms = query_terms(question, lang)
    span = extract_span(answer_kind(question), sentence, set(terms.native + terms.shared), lang)
    return span.value if span else None


@pytest.mark.parametrize(
    ("question", "sentence", "lang", "answer"),
    [
        (
            "Сколько грантов в докторантуру выделено?",
            "Университету выделено 85 грантов в магистратуру и 12 грантов в докторантуру.",
            "ru",
            "12 грантов",
        ),
        (  # the word asked about is the number's own unit
            "Сколько участников было на хакатоне?",
            "За 36 часов 31 команда — 124 участника из 9 вузов разрабатывала прототипы.",
            "ru",
            "124 участника",
        ),
        (
            "Хакатонға неше команда қатысты?",
            "36 сағат ішінде 31 команда — 9 жоғары оқу орнынан 124 қатысушы жұмыс істеді.",
            "kk",
            "31 команда",
        ),
        (
            "Во сколько отправляется последний шаттл от главного корпуса?",
            "Первый рейс отправляется в 07:20, последний рейс от главного корпуса — в 20:40.",
            "ru",
            "20:40",
        ),
        (
            "“2+2”项目每年最多招收多少名学生？",
            "实施“2+2”项目，每年最多招收25名学生；",
            "zh",
            "25名",
        ),
        (
            "До какого числа принимаются заявления на общежитие?",
            "Приём заявлений на 2025–2026 учебный год продлён до 20 сентября 2025 года.",
            "ru",
            "2025-09-20",
        ),
        (
            "Өтінімдер қашанға дейін қабылданады?",
            "Өтінімдер 2025 жылғы 1 қазанға дейін қабылданады.",
            "kk",
            "2025-10-01",
        ),
        (
            "When did the agreement get signed?",
            "On 11 April 2023, ALT University and Woosong University signed an agreement.",
            "en",
            "2023-04-11",
        ),
    ],
)
def test_the_span_that_answers(question: str, sentence: str, lang: str, answer: str) -> None:
    assert _span(question, sentence, lang) == answer


def test_a_school_year_is_not_a_date() -> None:
    assert [s.value for s in date_spans("Расписание на 2025–2026 учебный год.")] == []
    assert [s.value for s in date_spans("鲁班工坊于2025年授予。")] == ["2025"]
