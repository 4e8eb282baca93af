"""Word translations induced from the embedder over the index's own words (index/lexicon.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.build import Embedding, ingest_documents
from index.embedders.base import Embedder
from index.lexicon import Lexicon, QuestionWords, document_words
from index.store import IndexReader, IndexWriter
from ingest.documents import Document
from qa.service import QAService
from tests.fakes import FakeEmbedder


def test_words_are_those_a_translation_can_find() -> None:
    russian = document_words("Каждый выпускник пригласит 3 гостей на ALT Hack", "ru")
    assert russian == {"кажд": "каждый", "выпускник": "выпускник", "приглас": "пригласит",
                       "гост": "гостей"}  # fmt: skip
    # Numbers and Latin-script names mean the same in every language: nothing to translate.
    assert "3" not in russian and not any("alt" in term for term in russian)
    kazakh = document_words("Түлектер қонақтарын шақыра алады", "kk")
    assert "түлек" in kazakh and kazakh["түлек"] == "түлектер"
    assert "hack" in document_words("Each graduate may bring guests to ALT Hack", "en")
    # Chinese is compared by the character pairs lexical matching uses.
    assert {"毕业", "客人"} <= set(document_words("毕业生可以邀请客人", "zh"))


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    result: np.ndarray = vector / np.linalg.norm(vector)
    return result


def test_translations_are_the_nearest_words_above_the_floor() -> None:
    russian = ["гост", "посетител", "участник", "парковк", "зал"]
    matrix = np.vstack(
        [_unit(1, 0.1, 0), _unit(1, 0.2, 0), _unit(1, 0.3, 0), _unit(1, 0.35, 0), _unit(0, 0, 1)]
    )
    lexicon = Lexicon({"ru": (russian, matrix)})
    guests = _unit(1, 0.1, 0)[None, :]
    # At most three per word, however many pass the floor; never one below it.
    assert lexicon.translations(guests, "ru", 0.9) == {"гост", "посетител", "участник"}
    assert lexicon.translations(guests, "ru", 0.999) == {"гост"}
    assert lexicon.translations(guests, "kk", 0.5) == frozenset()
    assert lexicon.vector("ru", "зал") is not None and lexicon.vector("ru", "hall") is None


class _CountingEmbed:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.asked: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.asked.append(texts)
        return self.embedder.embed_queries(texts)


def test_a_question_embeds_only_the_words_the_index_lacks_and_only_when_needed(
    fake_embedder: FakeEmbedder,
) -> None:
    stored = fake_embedder.embed_queries(["гостей"])
    lexicon = Lexicon({"ru": (["гост"], stored), "en": (["guest"], stored)})
    embed = _CountingEmbed(fake_embedder)
    words = QuestionWords("Сколько гостей придёт на выпускной?", "ru", lambda: lexicon, embed, 0.5)
    assert words.into("ru") == frozenset()  # its own language: nothing to translate
    assert embed.asked == []
    words.into("en")
    words.into("kk")
    # "гостей" is stored already; the others are embedded once for every language asked about.
    assert embed.asked == [["придёт", "выпускной"]]
    off = QuestionWords("Сколько гостей придёт?", "ru", lambda: lexicon, embed, 1.0)
    assert off.into("en") == frozenset()


def test_the_lexicon_follows_the_announcements_it_holds(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    def ingest(*documents: Document) -> None:
        with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
            ingest_documents(writer, Embedding(fake_embedder, 200), documents)

    parking = Document(id="parking", title="Парковка", text="Парковка закрыта.", lang="ru")
    guests = Document(id="guests", title="Гости", text="Гости приходят к десяти.", lang="ru")
    ingest(parking, guests)
    reader = IndexReader(tmp_path, fake_embedder.name)
    assert reader.lexicon.vector("ru", "гост") is not None
    held = len(document_words("Парковка\nПарковка закрыта.", "ru")) + len(
        document_words("Гости\nГости приходят к десяти.", "ru")
    )
    assert len(reader.lexicon) == reader.stats().words == held
    reader.close()

    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        writer.delete(["guests"])
        writer.publish()
        # A word no announcement holds keeps its vector: it is not embedded again if it returns.
        assert writer.unknown_words("ru", ["гост", "ресторан"]) == ["ресторан"]
    reader = IndexReader(tmp_path, fake_embedder.name)
    assert reader.lexicon.vector("ru", "гост") is None
    assert reader.lexicon.vector("ru", "парковк") is not None
    assert reader.stats().words == len(reader.lexicon) < held
    reader.close()


def _service_over(tmp_path: Path, e5: Embedder, document: Document) -> QAService:
    """A service over an index of this one announcement, embedded by the bundled model."""
    with IndexWriter(tmp_path, e5.name, e5.dim) as writer:
        ingest_documents(writer, Embedding(e5, 200), [document])
    return QAService(IndexReader(tmp_path, e5.name), e5)


@pytest.mark.slow
def test_a_question_finds_its_sentence_through_translated_words(
    tmp_path: Path, e5: Embedder
) -> None:
    text = (
        "Церемония вручения дипломов выпускникам 2026 года пройдёт 26 июня в Большом зале "
        "университета. Начало в 11:00, регистрация выпускников открывается в 10:00. "
        "Каждый выпускник может пригласить не более трёх гостей. Выпускники в мантиях "
        "фотографируются на ступенях главного корпуса после церемонии. Парковка у главного "
        "корпуса в этот день закрыта."
    )
    document = Document(
        id="graduation-2026", title="Выпускной 2026", text=text, lang="ru", date="2026-05-20"
    )
    service = _service_over(tmp_path, e5, document)
    # Without the translations, the English question cites the opening sentence (it withholds
    # the answer) and the Chinese one withholds it: neither shares a word with the sentence.
    for question in (
        "How many guests can a graduate invite to the 2026 graduation?",
        "毕业生可以邀请几位客人参加毕业典礼？",
    ):
        answer = service.ask(question)
        assert answer.sentence is not None and "гостей" in answer.sentence, question
        assert answer.answer is not None, question


def test_the_thing_counted_is_translated_alone(fake_embedder: FakeEmbedder) -> None:
    projects, applications = fake_embedder.embed_queries(["проектов", "заявок"])
    lexicon = Lexicon({"kk": (["жоба", "өтінім"], np.vstack([projects, applications]))})
    question = "Сколько проектов из всех заявок получили гранты?"
    words = QuestionWords(question, "ru", lambda: lexicon, _CountingEmbed(fake_embedder), 0.9)
    assert words.into("kk") == {"жоба", "өтінім"}
    # "How many projects" counts projects: only "проектов" is translated for it.
    assert words.words_into("проектов", "kk") == {"жоба"}
    assert words.words_into("проектов", "ru") == {"проект"}
    assert words.words_into("проектов", "en") == frozenset()


@pytest.mark.slow
def test_a_number_is_found_by_its_unit_in_another_language(tmp_path: Path, e5: Embedder) -> None:
    text = (
        "ALT University ғылыми кеңесі «Жас ғалымдар» ішкі гранттар конкурсының нәтижелерін "
        "бекітті. Әр жоба 5 000 000 теңгеге дейін қаржыландырылады. Конкурсқа 24 өтінім "
        "түсті, оның 7 жобасы қаржыландыруға ұсынылды."
    )
    document = Document(
        id="young-scientists", title="Жас ғалымдар", text=text, lang="kk", date="2025-05-08"
    )
    service = _service_over(tmp_path, e5, document)
    # Before the thing counted was translated, the sum of money per project answered.
    for question in (
        "Сколько проектов рекомендовано к финансированию?",
        "How many projects were recommended for funding?",
    ):
        answer = service.ask(question, min_confidence=0.0)
        assert answer.answer == "7 жобасы", question


@pytest.mark.slow
def test_the_span_is_chosen_by_translated_words_too(tmp_path: Path, e5: Embedder) -> None:
    text = (
        "Зимняя экзаменационная сессия пройдёт с 22 декабря по 10 января. Итоговая оценка "
        "по дисциплине складывается из рейтинга допуска (60%) и оценки за экзамен (40%)."
    )
    document = Document(id="exams", title="Зимняя сессия", text=text, lang="ru", date="2025-12-01")
    service = _service_over(tmp_path, e5, document)
    # No word of the Chinese question is in the Russian sentence: before, the first share won.
    answer = service.ask("考试成绩占总评成绩的多少？", min_confidence=0.0)
    assert answer.sentence is not None and "40%" in answer.sentence
    assert answer.answer == "40%"


class _CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return super().embed_queries(texts)


def test_question_words_stay_cached_while_they_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question's words not in the index are embedded once, and kept while questions keep
    using them: the cache drops the words used least recently, not everything at once."""
    embedder = _CountingEmbedder()
    english = Document(
        id="guests", title="Graduation", text="Each graduate may bring two guests.", lang="en"
    )
    with IndexWriter(tmp_path, embedder.name, embedder.dim) as writer:
        ingest_documents(writer, Embedding(embedder, 200), [english])
    service = QAService(IndexReader(tmp_path, embedder.name), embedder, word_translation_floor=0.5)
    monkeypatch.setattr("qa.service._WORD_CACHE", 4)

    def embedded_for(question: str) -> list[str]:
        embedder.queries.clear()
        service.ask(question)
        return [text for text in embedder.queries if text != question]

    assert sorted(embedded_for("Сколько гостей придёт?")) == ["гостей", "придёт"]
    assert embedded_for("Сколько гостей придёт?") == []
    assert sorted(embedded_for("Когда начнётся выпускной?")) == ["выпускной", "начнётся"]
    assert embedded_for("Сколько гостей?") == []  # the cache is full: four words
    # A new word makes room by dropping the one used least recently ("придёт"), not "гостей",
    # which came first but was just used again.
    assert embedded_for("Где парковка?") == ["парковка"]
    assert embedded_for("Сколько гостей придёт?") == ["придёт"]
