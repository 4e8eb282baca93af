"""Sentence splitting and chunk packing: offsets, budgets, overlap, four languages."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest

from ingest.chunking import chunk_document, split_sentences
from ingest.documents import Chunk, Document


def words_plus_two(text: str) -> int:
    """A stand-in for an embedder's counter: one token a word plus two special tokens."""
    return len(text.split()) + 2


def chars_by_four(text: str) -> int:
    """A counter that is not additive over sentences, like a real subword tokenizer."""
    return (len(text) + 3) // 4 + 2


def _doc(text: str, lang: str = "ru", title: str = "Заголовок") -> Document:
    return Document(id="doc-1", title=title, text=text, lang=lang)


def _sentences(text: str, lang: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, lang)]


def _check_chunks(
    doc: Document, chunks: list[Chunk], counter: Callable[[str], int], max_tokens: int
) -> None:
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.doc_id == doc.id
        assert 0 <= chunk.start < chunk.end <= len(doc.text)
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip()
        assert counter(chunk.text) <= max_tokens
    starts = [chunk.start for chunk in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    covered = [False] * len(doc.text)
    for chunk in chunks:
        covered[chunk.start : chunk.end] = [True] * (chunk.end - chunk.start)
    missing = [i for i, char in enumerate(doc.text) if not char.isspace() and not covered[i]]
    assert missing == []


# --- sentences ---------------------------------------------------------------------------


def test_russian_sentences_with_abbreviations() -> None:
    text = (
        "Заявки принимаются до 1 июля 2025 г. включительно. Проф. Иванов А.А. возглавит комиссию."
    )
    assert _sentences(text, "ru") == [
        "Заявки принимаются до 1 июля 2025 г. включительно.",
        "Проф. Иванов А.А. возглавит комиссию.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Өтінімдер 2025 ж. 1 шілдеге дейін қабылданады.",
        "Конкурс 2020–2025 жж. аралығында өтті.",
        "Кітаптар, журналдар т.б. басылымдар қабылданады.",
        "Оқулықтар, мақалалар т.с.с. материалдар жіберіледі.",
        "Мекенжай: Алматы қ., Шевченко к., 97 үй.",
    ],
)
def test_kazakh_abbreviations_do_not_end_a_sentence(sentence: str) -> None:
    text = f"{sentence} Келесі сөйлем осында."
    assert _sentences(text, "kk") == [sentence, "Келесі сөйлем осында."]


def test_english_sentences_with_abbreviations() -> None:
    text = "Dr. Smith arrived at 5 p.m. on Jan. 5. The U.S. team won! Is it fine? Yes."
    assert _sentences(text, "en") == [
        "Dr. Smith arrived at 5 p.m. on Jan. 5.",
        "The U.S. team won!",
        "Is it fine?",
        "Yes.",
    ]


@pytest.mark.parametrize(
    ("text", "lang", "sentences"),
    [
        # razdel does not know "мкр." (microdistrict) and would end a sentence after it.
        (
            "Маршрут: общежитие №2 (мкр. Орбита-2, 14) — главный корпус. Время в пути 25 минут.",
            "ru",
            [
                "Маршрут: общежитие №2 (мкр. Орбита-2, 14) — главный корпус.",
                "Время в пути 25 минут.",
            ],
        ),
        (
            "The lab (room 105. Building B) opens today. Come early.",
            "en",
            ["The lab (room 105. Building B) opens today.", "Come early."],
        ),
        (
            "课程（每周二。周四）开始。欢迎报名。",
            "zh",
            ["课程（每周二。周四）开始。", "欢迎报名。"],
        ),
        # A bracket that never closes holds nothing together.
        ("Приходите (если сможете. Ждём всех.", "ru", ["Приходите (если сможете.", "Ждём всех."]),
    ],
)
def test_a_sentence_does_not_end_inside_brackets(
    text: str, lang: str, sentences: list[str]
) -> None:
    assert _sentences(text, lang) == sentences


def test_chinese_splits_on_full_width_terminators_and_lines() -> None:
    text = "鲁班工坊于2025年授予。这是第二句！是真的吗？“引号里的话。”第四句；第五句\n第六行"
    assert _sentences(text, "zh") == [
        "鲁班工坊于2025年授予。",
        "这是第二句！",
        "是真的吗？",
        "“引号里的话。”",
        "第四句；",
        "第五句",
        "第六行",
    ]


def test_paragraph_breaks_and_headings_end_sentences() -> None:
    text = (
        "Объявление о приёме\n"
        "Университет объявляет приём заявок\n\n"
        "Требования:\n- диплом бакалавра;\n- сертификат IELTS\n\n"
        "Документы принимаются\nв деканате до пятницы."
    )
    assert _sentences(text, "ru") == [
        "Объявление о приёме",
        "Университет объявляет приём заявок",
        "Требования:",
        "- диплом бакалавра;",
        "- сертификат IELTS",
        "Документы принимаются\nв деканате до пятницы.",
    ]


@pytest.mark.parametrize(
    ("lines", "lang"),
    [
        (
            [
                "«Көлік және логистика: цифрлық трансформация»\nхалықаралық конференциясы",
                "Жарияланған күні: 2024 жылғы 7 қазан",
                "ALT University 2024 жылғы 21–22 қарашада конференция\nөткізеді.",
            ],
            "kk",
        ),
        (
            [
                "Зимняя экзаменационная сессия 2025–2026 учебного\nгода: расписание и правила",
                "Дата публикации: 1 декабря 2025 года",
                "Офис регистратора ALT University информирует студентов о порядке\nсессии.",
            ],
            "ru",
        ),
        (
            [
                "ALT Career Fair 2024: 62 employers\non one campus",
                "Published: 3 April 2024",
                "on Thursday, 18 April 2024, the Career Centre will hold its annual Career Fair.",
            ],
            "en",
        ),
        (
            ["ALT大学HSK考点报名通知", "发布日期：2025年10月20日", "HSK考试将于2025年11月23日举行"],
            "zh",
        ),
    ],
)
def test_a_publication_line_is_a_sentence_of_its_own(lines: list[str], lang: str) -> None:
    # As PDFs give them: a heading broken over lines, the date line and the body, with single
    # line breaks between them and no full stop after the heading.
    assert _sentences("\n".join(lines), lang) == lines


def test_mixed_language_document_uses_the_right_splitter_per_paragraph() -> None:
    text = (
        "Приём заявок открыт. Ждём вас!\n\n"
        "The deadline is July 1. Apply now.\n\n"
        "鲁班工坊开放。欢迎参观。"
    )
    assert _sentences(text, "ru") == [
        "Приём заявок открыт.",
        "Ждём вас!",
        "The deadline is July 1.",
        "Apply now.",
        "鲁班工坊开放。",
        "欢迎参观。",
    ]


def test_spans_point_into_messy_text() -> None:
    text = "  Первое   предложение.\t Второе!\n\n\n   Third one.   Fourth   "
    spans = split_sentences(text, "ru")
    assert [text[s:e] for s, e in spans] == [
        "Первое   предложение.",
        "Второе!",
        "Third one.",
        "Fourth",
    ]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("", "ru") == []
    assert split_sentences(" \n\n ", "en") == []


# --- chunks ------------------------------------------------------------------------------


def test_short_document_is_one_chunk_without_the_title() -> None:
    doc = _doc("Университет объявляет приём заявок. Срок — до 1 июля.", title="Приём заявок")
    chunks = chunk_document(doc, words_plus_two, max_tokens=50)
    assert [(c.ordinal, c.start, c.end, c.text) for c in chunks] == [
        (0, 0, len(doc.text), doc.text)
    ]


def test_empty_document_has_no_chunks() -> None:
    assert chunk_document(_doc(""), words_plus_two) == []


def test_budget_is_respected_and_sentences_stay_whole() -> None:
    sentences = [f"Предложение номер {i} содержит ровно шесть слов." for i in range(30)]
    doc = _doc(" ".join(sentences))
    chunks = chunk_document(doc, words_plus_two, max_tokens=30, overlap_sentences=0)
    _check_chunks(doc, chunks, words_plus_two, 30)
    for chunk in chunks:
        assert chunk.text.startswith("Предложение") and chunk.text.endswith("слов.")
    # 7 words a sentence: four fit in 30 tokens (28 + 2), five do not.
    assert [len(_sentences(c.text, "ru")) for c in chunks] == [4] * 7 + [2]


def test_next_chunk_repeats_the_last_sentence_of_the_previous_one() -> None:
    sentences = [f"Sentence number {i} is here." for i in range(12)]
    doc = _doc(" ".join(sentences), lang="en")
    chunks = chunk_document(doc, words_plus_two, max_tokens=17, overlap_sentences=1)
    _check_chunks(doc, chunks, words_plus_two, 17)
    assert len(chunks) > 2
    for previous, current in itertools.pairwise(chunks):
        assert _sentences(current.text, "en")[0] == _sentences(previous.text, "en")[-1]


def test_overlap_is_dropped_when_it_would_not_leave_room() -> None:
    long_one = "Это длинное предложение занимает почти весь бюджет токенов целиком сразу."
    doc = _doc(f"Первое короткое. Второе короткое. {long_one} Ещё одно.")
    chunks = chunk_document(doc, words_plus_two, max_tokens=12, overlap_sentences=1)
    _check_chunks(doc, chunks, words_plus_two, 12)
    assert [c.text for c in chunks] == [
        "Первое короткое. Второе короткое.",
        long_one,
        "Ещё одно.",
    ]


def test_a_sentence_longer_than_the_budget_is_split_at_words() -> None:
    words = [f"слово{i}" for i in range(120)]
    doc = _doc(" ".join(words) + ".")
    chunks = chunk_document(doc, words_plus_two, max_tokens=25)
    _check_chunks(doc, chunks, words_plus_two, 25)
    assert len(chunks) == 6  # 23 words a piece
    rebuilt = " ".join(chunk.text for chunk in chunks)
    assert rebuilt == doc.text


def test_a_long_chinese_sentence_is_split_at_characters() -> None:
    text = "鲁班工坊" * 60 + "。"
    doc = _doc(text, lang="zh")
    chunks = chunk_document(doc, len, max_tokens=50)
    _check_chunks(doc, chunks, len, 50)
    assert "".join(chunk.text for chunk in chunks) == text


def test_a_single_overlong_word_is_cut_by_characters() -> None:
    doc = _doc("Ссылка: " + "x" * 300, lang="ru")
    chunks = chunk_document(doc, chars_by_four, max_tokens=20)
    _check_chunks(doc, chunks, chars_by_four, 20)


def test_chunks_prefer_to_end_at_a_paragraph_break() -> None:
    first = "Первый абзац состоит из нескольких слов. Второе предложение первого абзаца."
    second = "Второй абзац начинается здесь. Он продолжается. И заканчивается тут."
    doc = _doc(f"{first}\n\n{second}")
    chunks = chunk_document(doc, words_plus_two, max_tokens=20, overlap_sentences=0)
    _check_chunks(doc, chunks, words_plus_two, 20)
    assert chunks[0].text == first
    assert chunks[1].text == second


def test_counter_is_called_sparingly() -> None:
    calls = 0

    def counting(text: str) -> int:
        nonlocal calls
        calls += 1
        return words_plus_two(text)

    text = "\n\n".join(
        " ".join(f"Предложение {p}-{s} в абзаце о стипендии." for s in range(6)) for p in range(20)
    )
    doc = _doc(text)
    chunks = chunk_document(doc, counting, max_tokens=60)
    n_sentences = len(split_sentences(text, "ru"))
    assert calls <= n_sentences + 3 * len(chunks) + 1


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        chunk_document(_doc("Текст."), words_plus_two, max_tokens=0)
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(_doc("Текст."), words_plus_two, overlap_sentences=-1)
    with pytest.raises(ValueError, match="leaves no room"):
        chunk_document(_doc("Текст."), words_plus_two, max_tokens=2)


# --- randomised property test --------------------------------------------------------------

_WORDS = {
    "ru": [
        "университет",
        "объявляет",
        "приём",
        "заявок",
        "на",
        "стипендию",
        "студентам",
        "первого",
        "курса",
        "в",
        "главном",
        "корпусе",
    ],
    "kk": [
        "университет",
        "өтінімдер",
        "қабылдау",
        "шәкіртақы",
        "студенттерге",
        "бірінші",
        "курс",
        "бас",
        "ғимаратта",
        "жылы",
    ],
    "en": [
        "the",
        "university",
        "announces",
        "scholarship",
        "applications",
        "for",
        "first",
        "year",
        "students",
        "in",
        "the",
        "main",
        "hall",
    ],
}
_ZH = "鲁班工坊大学学生奖学金申请第一年级主楼教授研究项目合作"
_ENDS = {"ru": [".", "!", "?", " 2025 г."], "kk": [".", "!", " 2025 ж."], "en": [".", "!", "?"]}


def _random_sentence(rng: random.Random, lang: str, max_words: int) -> str:
    if lang == "zh":
        return "".join(rng.choice(_ZH) for _ in range(rng.randint(2, max_words * 2))) + rng.choice(
            "。！？"
        )
    words = [rng.choice(_WORDS[lang]) for _ in range(rng.randint(1, max_words))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(_ENDS[lang])


def _random_text(rng: random.Random, lang: str) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 6)):
        # Now and then a sentence far longer than any budget under test.
        max_words = 80 if rng.random() < 0.1 else 14
        sentences = [_random_sentence(rng, lang, max_words) for _ in range(rng.randint(1, 8))]
        joiner = "" if lang == "zh" else rng.choice([" ", "  ", "\n"])
        paragraphs.append(joiner.join(sentences))
    return rng.choice(["\n\n", "\n\n\n", "\n \n"]).join(paragraphs)


@pytest.mark.parametrize("lang", ["ru", "kk", "en", "zh"])
def test_random_documents_keep_every_promise(lang: str) -> None:
    rng = random.Random(20250315 + sum(map(ord, lang)))
    for _ in range(25):
        text = _random_text(rng, lang)
        doc = _doc(text, lang=lang)
        sentences = split_sentences(text, lang)
        for (_, end), (start, _) in itertools.pairwise(sentences):
            assert end <= start
        assert all(text[s:e] == text[s:e].strip() and e > s for s, e in sentences)
        in_sentence = [False] * len(text)
        for start, end in sentences:
            in_sentence[start:end] = [True] * (end - start)
        assert all(in_sentence[i] for i, char in enumerate(text) if not char.isspace())
        for counter in (words_plus_two, chars_by_four):
            max_tokens = rng.choice([12, 30, 64])
            overlap = rng.choice([0, 1, 2])
            chunks = chunk_document(doc, counter, max_tokens=max_tokens, overlap_sentences=overlap)
            _check_chunks(doc, chunks, counter, max_tokens)
            # A sentence that fits the budget is never cut: it lies whole inside a chunk.
            for start, end in sentences:
                if counter(text[start:end]) <= max_tokens:
                    assert any(c.start <= start and end <= c.end for c in chunks)
