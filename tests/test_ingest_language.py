"""Language detection on documents and on the short questions staff type."""

from __future__ import annotations

import pytest

from ingest import language
from ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Questions, as typed into the search box.
        ("Лу Бань шеберханасы қашан берілді?", "kk"),
        ("Когда открылась мастерская?", "ru"),
        ("鲁班工坊是哪一年授予的？", "zh"),
        ("When was the Luban workshop awarded?", "en"),
        ("Шәкіртақы қашан төленеді?", "kk"),
        ("Ректор кім?", "kk"),
        ("Кто ректор?", "ru"),
        ("Сессия қашан басталады?", "kk"),
        ("Когда начинается сессия?", "ru"),
        ("Жатақхана", "kk"),
        ("Общежитие", "ru"),
        ("Стипендия", "ru"),
        ("奖学金", "zh"),
        ("Tuition fees", "en"),
        # Sentences from announcements.
        ("Өтінімдер 2025 ж. 1 шілдеге дейін қабылданады.", "kk"),
        ("Университет туралы ақпарат", "kk"),
        ("Кроме того, в 2025 году ALT University был удостоен проекта «Мастерская Лу Бань».", "ru"),
        ("Встреча пройдёт в Қарағанды в главном корпусе.", "ru"),
        ("The university opened a new laboratory for railway engineering students.", "en"),
        ("鲁班工坊于2025年在阿拉木图正式揭牌，为学生提供职业培训。", "zh"),
    ],
)
def test_detects_the_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "2025-03-15", "123 456 !!!", "— … ?"])
def test_text_without_words_is_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_long_documents_are_sampled_not_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # Speed is measured by `make bench`; here, that lingua sees a sample, not the document.
    seen: list[int] = []
    real = language._get_detector()

    class Spy:
        def detect_language_of(self, text: str) -> object:
            seen.append(len(text))
            return real.detect_language_of(text)

    monkeypatch.setattr(language, "_get_detector", Spy)
    text = "Университет объявляет приём заявок на стипендию. " * 20000
    assert detect_language(text) == "ru"
    assert seen and max(seen) <= 2000
