"""Language identification for documents and queries (ISO 639-1 codes, "und" when unknown)."""

from __future__ import annotations

import re
import threading

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The university writes in Russian, Kazakh, English and Chinese; Turkish, German and French
# show up in partner announcements. Uzbek and Kyrgyz are not in lingua, so they are absent.
# A small candidate set keeps lingua fast and stops rare look-alikes (Mongolian, Ukrainian,
# Bulgarian) from stealing short Russian or Kazakh texts.
_LANGUAGES = (
    Language.KAZAKH,
    Language.RUSSIAN,
    Language.ENGLISH,
    Language.CHINESE,
    Language.TURKISH,
    Language.GERMAN,
    Language.FRENCH,
)
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LETTER = re.compile(r"[^\W\d_]")
# Enough text to decide; lingua's cost grows with length and a document's opening is
# representative of it.
_SAMPLE_CHARS = 2000

_detector: LanguageDetector | None = None
_lock = threading.Lock()


def _get_detector() -> LanguageDetector:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                # Preloading costs ~0.4 s and ~200 MB once, and keeps every later call in
                # the sub-millisecond range instead of stalling on the first query per script.
                _detector = (
                    LanguageDetectorBuilder.from_languages(*_LANGUAGES)
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


def warm_up() -> None:
    """Build the detector now, so the first real query does not pay for it."""
    _get_detector()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of `text`'s language, or "und" when it cannot be told."""
    sample = text[:_SAMPLE_CHARS].strip()
    if not _LETTER.search(sample):
        return "und"
    detector = _get_detector()
    language = detector.detect_language_of(sample)
    if language is None:
        return "und"
    if language == Language.KAZAKH and not _KAZAKH_LETTERS.search(sample):
        # Single words shared by both languages ("Стипендия", "Грант") come out as a near
        # tie; without any Kazakh-only letter, Russian is the likelier reading.
        confidence = detector.compute_language_confidence(sample, Language.KAZAKH)
        if confidence < 0.75:
            return "ru"
    return language.iso_code_639_1.name.lower()
