"""Word translations induced from the embedder over the index's own vocabulary.

The question's own words can be matched only in announcements of its language (index/lexical.py);
against any other, only its names and numbers can. Yet the e5 model places a word near its
translations when each is embedded alone ("guests" near "гостей" and "қонақ", "ағаш" near
"tree"). Each word of the index is embedded once, when the first announcement using it is
ingested; a question's words are embedded the same way, and the index's words in another language
that lie nearest become that language's terms for the question. They weigh sentences only
(qa/sentences.py): a wrong translation can mislead the choice of a sentence, never the ranking
of announcements.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.lexical import TOKEN, analyze

# A word shorter than this says too little alone to be translated ("на", "of").
_MIN_LETTERS = 3
_LATIN = re.compile(r"[a-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# The nearest words of another language that one question word can stand for: a Russian word's
# translation may be any of its forms ("гостей", "гости") or a near synonym.
TRANSLATIONS_PER_WORD = 3


def document_words(text: str, lang: str) -> dict[str, str]:
    """The words of a text that can be translated, as {analysed term: a form as written}.

    Numbers and names in Latin script mean the same in every language (they are `shared`
    terms), so outside English they are left out; Chinese words are the character pairs that
    `analyze` makes of a run.
    """
    words: dict[str, str] = {}
    for token in TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()):
        if token.isdigit() or (lang != "en" and _LATIN.search(token)):
            continue
        if not _CJK.search(token) and len(token) < _MIN_LETTERS:
            continue
        for term in analyze(token, lang):
            if term.isdigit():
                continue
            # A Chinese pair is its own written form; another word is written as first seen.
            words.setdefault(term, term if _CJK.search(term) else token)
    return words


@dataclass(frozen=True)
class WordRecord:
    """One word of an announcement; `vector` is None for a word the index already holds."""

    term: str
    surface: str
    vector: np.ndarray | None = None


class Lexicon:
    """The embedded words of the announcements an index holds, per language."""

    def __init__(self, words: dict[str, tuple[list[str], np.ndarray]]) -> None:
        self._words = words
        self._rows = {
            lang: {term: row for row, term in enumerate(terms)}
            for lang, (terms, _) in words.items()
        }

    def vector(self, lang: str, term: str) -> np.ndarray | None:
        """The stored embedding of a word of `lang`, if an announcement holds it."""
        row = self._rows.get(lang, {}).get(term)
        return None if row is None else self._words[lang][1][row]

    def __len__(self) -> int:
        return sum(len(terms) for terms, _ in self._words.values())

    def translations(self, vectors: np.ndarray, lang: str, floor: float) -> frozenset[str]:
        """The terms of `lang` whose embedding lies within `floor` (inner product) of one of
        the `vectors` — at most TRANSLATIONS_PER_WORD for each."""
        if lang not in self._words or not len(vectors):
            return frozenset()
        terms, matrix = self._words[lang]
        similarities = vectors @ matrix.T
        nearest = min(TRANSLATIONS_PER_WORD, len(terms))
        found: set[str] = set()
        for row in similarities:
            best = np.argpartition(-row, nearest - 1)[:nearest]
            found.update(terms[i] for i in best if row[i] >= floor)
        return frozenset(found)


class QuestionWords:
    """A question's words in the languages of the announcements it is compared with.

    They are read and embedded on first need, once per question (a question whose
    announcements are all in its own language, or a search, never needs them), and only those
    the index does not hold already are embedded.
    """

    def __init__(
        self,
        question: str,
        lang: str,
        lexicon: Callable[[], Lexicon],
        embed: Callable[[list[str]], np.ndarray],
        floor: float,
    ) -> None:
        self.lang = lang
        self._question = question
        self._lexicon = lexicon
        self._embed = embed
        self._floor = floor
        self._vectors: np.ndarray | None = None
        self._translated: dict[str, frozenset[str]] = {}
        # The answer's sentence and the rivals' ask for the same part in the same languages.
        self._parts: dict[tuple[str, str], frozenset[str]] = {}

    @functools.cached_property
    def _words(self) -> dict[str, str]:
        return document_words(self._question, self.lang) if self._floor < 1 else {}

    def into(self, lang: str) -> frozenset[str]:
        """The terms of `lang` that translate the question's words; none in its own language."""
        if lang == self.lang or not self._words:
            return frozenset()
        if lang not in self._translated:
            if self._vectors is None:
                self._vectors = self._embedded()
            self._translated[lang] = self._lexicon().translations(self._vectors, lang, self._floor)
        return self._translated[lang]

    def words_into(self, text: str, lang: str) -> frozenset[str]:
        """The terms of `lang` for the question's words in `text`, a part of the question (the
        thing a "how many" question counts): in the question's language their own terms, in
        another their translations alone, not those of the whole question."""
        if lang == self.lang:
            return frozenset(analyze(text, lang))
        if (text, lang) not in self._parts:
            self._parts[text, lang] = self._translate_part(text, lang)
        return self._parts[text, lang]

    def _translate_part(self, text: str, lang: str) -> frozenset[str]:
        words = document_words(text, self.lang)
        rows = [row for row, term in enumerate(self._words) if term in words]
        if not rows:
            return frozenset()
        if self._vectors is None:
            self._vectors = self._embedded()
        return self._lexicon().translations(self._vectors[rows], lang, self._floor)

    def _embedded(self) -> np.ndarray:
        stored: dict[str, np.ndarray] = {}
        lexicon = self._lexicon()
        for term in self._words:
            vector = lexicon.vector(self.lang, term)
            if vector is not None:
                stored[term] = vector
        new = [term for term in self._words if term not in stored]
        if new:
            vectors = self._embed([self._words[term] for term in new])
            stored.update(zip(new, vectors, strict=True))
        return np.vstack([stored[term] for term in self._words])
