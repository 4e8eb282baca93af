"""How each sentence of an announcement is measured against a question (qa/sentences.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index.lexical import query_terms
from index.store import StoredChunk, StoredDocument, StoredSentence
from ingest.documents import Document
from qa.answer import AnswerKind, Wanted, read_question
from qa.retrieve import Hit
from qa.sentences import SentenceCandidates, describe_sentences


def _hit(text: str, sentences: list[str], lang: str, title: str = "Notice") -> Hit:
    document = Document(id="notice", title=title, text=text, date="2024-03-01", lang=lang)
    stored = StoredDocument(1, document, "hash", "2024-03-01T00:00:00")
    chunk = StoredChunk(1, 1, 0, 0, len(text), text)
    hit = Hit(stored, chunk, 0.5, 0.5)
    for sentence in sentences:
        start = text.index(sentence)
        vector = np.zeros(4, dtype=np.float32)
        hit.sentences.append((StoredSentence(1, start, start + len(sentence), vector), 0.5))
    return hit


def _described(
    question: str, sentences: list[str], lang: str, wanted: Wanted | None = None
) -> SentenceCandidates:
    """The sentences of a one-paragraph announcement as measured against the question (as
    `read_question` reads it, unless `wanted` is given)."""
    return describe_sentences(
        _hit(" ".join(sentences), sentences, lang),
        wanted or read_question(question, lang),
        query_terms(question, lang),
        lang,
        np.zeros(4),
    )


def test_a_sentence_holding_only_the_year_the_question_names_holds_no_answer() -> None:
    named = "The 2024 internal grant competition is open to all staff."
    dated = "Proposals are accepted until 29 March 2024."
    hit = _hit(f"{named} {dated}", [named, dated], "en")
    question = "What is the deadline for 2024 grant proposals?"
    terms = query_terms(question, "en")
    candidates = describe_sentences(hit, Wanted(AnswerKind.TIME), terms, "en", np.zeros(4))
    assert candidates.feature(0, "holds_span") == 0.0
    assert candidates.feature(1, "holds_span") == 1.0


def test_a_deadline_question_marks_the_sentence_that_sets_a_limit() -> None:
    held = "The information session is held on 10 April 2024."
    limit = "Applications are accepted until 30 April 2024."
    hit = _hit(f"{held} {limit}", [held, limit], "en")
    for question, marked in (
        ("What is the application deadline?", [0.0, 1.0]),
        ("When is the information session?", [0.0, 0.0]),
    ):
        terms = query_terms(question, "en")
        candidates = describe_sentences(hit, read_question(question), terms, "en", np.zeros(4))
        assert [candidates.feature(i, "limit") for i in range(2)] == marked


def test_the_year_a_question_names_does_not_point_at_a_sentence() -> None:
    lead = "Жарыс спорт кешенінде 2023 жылдың қазанында өтті."
    fact = "Жарысқа алты факультеттің 420 студенті қатысты."
    hit = _hit(f"{lead} {fact}", [lead, fact], "kk", title="Күзгі спартакиада")
    question = "2023 жылғы күзгі спартакиадаға қанша студент қатысты?"
    terms = query_terms(question, "kk")
    candidates = describe_sentences(hit, read_question(question, "kk"), terms, "kk", np.zeros(4))
    assert candidates.feature(0, "focus_words") == 0.0
    assert candidates.feature(1, "focus_words") > 0.0


def test_a_which_question_prefers_the_sentence_that_names_something_new() -> None:
    lead = "Хакатон прошёл 17–18 ноября в коворкинг-центре."
    fact = "Первое место получила команда Semaphore."
    hit = _hit(f"{lead} {fact}", [lead, fact], "ru", title="Итоги хакатона")
    question = "Какая команда победила на хакатоне ALT Hack 2023?"
    terms = query_terms(question, "ru")
    candidates = describe_sentences(hit, read_question(question, "ru"), terms, "ru", np.zeros(4))
    assert [candidates.feature(i, "holds_span") for i in range(2)] == [0.0, 1.0]


@pytest.mark.parametrize(
    ("question", "dated", "cause", "lang"),
    [
        (
            "Why were the January retakes postponed?",
            "The retakes will be held on 22–24 January instead of 15–17 January.",
            "The change is due to the move to a new version of Platonus.",
            "en",
        ),
        (
            "Почему перенесли пересдачу?",
            "Пересдача пройдёт 22–24 января вместо 15–17 января.",
            "Перенос связан с переходом на новую версию Platonus.",
            "ru",
        ),
        (
            "Қайта тапсыру неге ауыстырылды?",
            "Қайта тапсыру 22–24 қаңтарда өтеді.",
            "Бұл Platonus жүйесінің жаңаруына байланысты.",
            "kk",
        ),
        (
            "补考为什么推迟？",
            "补考改在1月22日至24日举行。",
            "由于Platonus系统升级，补考推迟。",
            "zh",
        ),
    ],
)
def test_a_why_question_marks_the_sentence_that_gives_a_cause(
    question: str, dated: str, cause: str, lang: str
) -> None:
    candidates = _described(question, [dated, cause], lang)
    assert [candidates.feature(i, "reason") for i in range(2)] == [0.0, 1.0]
    # Asked when, not why, a cause points at nothing.
    when = _described(question, [dated, cause], lang, Wanted(AnswerKind.TIME))
    assert [when.feature(i, "reason") for i in range(2)] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("question", "other", "answering", "lang"),
    [
        # where: a place
        (
            "Where is the HSK written exam held?",
            "The HSK written exam takes place on Sunday, 23 November 2025.",
            "The exam is held in computer room B-205 on the second floor of building B.",
            "en",
        ),
        (
            "Где пройдёт церемония вручения дипломов?",
            "Церемония состоится 28 июня 2025 года в 15:00.",
            "Она пройдёт во Дворце Республики (пр. Достык, 56).",
            "ru",
        ),
        (
            "Наурыз мерекесі қайда өтеді?",
            "Мереке 2025 жылғы 20 наурызда сағат 12:00-де басталады.",
            "Мереке бас ғимарат алдындағы алаңда өтеді.",
            "kk",
        ),
        (
            "HSK笔试在哪里举行？",
            "HSK笔试将于2025年11月23日举行。",
            "考试地点为B楼二层计算机教室B-205。",
            "zh",
        ),
        # how often: a frequency
        (
            "How often does the guest password change?",
            "Visitors use the ALT-Guest network.",
            "Its password is changed every Monday.",
            "en",
        ),
        (
            "Как часто меняется гостевой пароль?",
            "Гости подключаются к сети ALT-Guest.",
            "Её пароль меняется каждый понедельник.",
            "ru",
        ),
        (
            "Қонақ құпиясөзі қанша уақыт сайын өзгереді?",
            "Қонақтар ALT-Guest желісіне қосылады.",
            "Оның құпиясөзі дүйсенбі сайын өзгереді.",
            "kk",
        ),
        ("访客密码多久一次更换？", "访客使用ALT-Guest网络。", "密码每周一更换。", "zh"),
        # a place of a ranking: a sentence that names only another place does not answer
        (
            "How much did the second-place team win?",
            "First place and 1 000 000 tenge went to team Semaphore.",
            "Second place (600 000 tenge) went to team LogiQ.",
            "en",
        ),
        (
            "Сколько получила команда, занявшая второе место?",
            "Первое место и приз 1 000 000 тенге получила команда Semaphore.",
            "Второе место (600 000 тенге) заняла команда LogiQ.",
            "ru",
        ),
        (
            "Екінші орын алған команда қанша сыйақы алды?",
            "Бірінші орын мен 1 000 000 теңге Semaphore командасына берілді.",
            "Екінші орын (600 000 теңге) LogiQ командасына берілді.",
            "kk",
        ),
        ("二等奖奖金是多少？", "一等奖奖金为1 000 000坚戈。", "二等奖奖金为600 000坚戈。", "zh"),
    ],
)
def test_a_where_how_often_or_ranking_question_marks_the_sentence_that_says_it(
    question: str, other: str, answering: str, lang: str
) -> None:
    candidates = _described(question, [other, answering], lang)
    assert [candidates.feature(i, "holds_span") for i in range(2)] == [0.0, 1.0]
    # Asked what instead, both hold a whole-sentence answer.
    what = _described(question, [other, answering], lang, Wanted(AnswerKind.SENTENCE))
    assert [what.feature(i, "holds_span") for i in range(2)] == [1.0, 1.0]


def test_a_sentence_is_also_measured_as_read_beside_its_neighbours() -> None:
    holiday = "Nauryz holidays are from 21 to 24 March."
    resume = "Classes resume on 25 March."
    hit = _hit(f"{holiday} {resume}", [holiday, resume], "en")
    question = np.array([1.0, 0.0, 0.0, 0.0])
    # The second sentence alone says nothing of the holiday; read with the first, it does.
    first, _ = hit.sentences[0]
    second, _ = hit.sentences[1]
    hit.sentences[0] = (replace(first, context=np.array([0.6, 0.8, 0, 0])), 0.9)
    hit.sentences[1] = (replace(second, context=np.array([0.8, 0.6, 0, 0])), 0.1)
    terms = query_terms("When do classes resume after Nauryz?", "en")
    candidates = describe_sentences(hit, Wanted(AnswerKind.TIME), terms, "en", question)
    assert [candidates.feature(i, "similarity") for i in range(2)] == [0.9, 0.1]
    assert [candidates.feature(i, "context_similarity") for i in range(2)] == pytest.approx(
        [0.6, 0.8]
    )
