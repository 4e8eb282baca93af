"""The measurements by which the sentence that answers is chosen among an announcement's sentences.

Each sentence gets one row of SENTENCE_FEATURES; qa/calibration.py holds the weights that turn a
row into a score, fitted on the dev set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from index.lexical import Terms, distinctive_overlap, index_terms
from index.store import StoredSentence
from qa.answer import (
    AnswerKind,
    Wanted,
    extract_span,
    gives_frequency,
    gives_reason,
    holds_asked_unit,
    holds_limit,
    holds_name,
    names_a_place,
    places_named,
    publication_day,
)
from qa.retrieve import Hit

SENTENCE_FEATURES = (
    "similarity",
    "context_similarity",
    "topic",
    "focus_words",
    "translated_words",
    "holds_span",
    "asked_unit",
    "limit",
    "unasked_limit",
    "reason",
    "heading",
    "length",
)

_YEAR = re.compile(r"(?:19|20)\d\d")
# A sentence ends in one of these (before closing quotes and brackets); a line that does not is a
# heading or a label, which restates the topic rather than answering.
_SENTENCE_END = re.compile(r"[.!?;:…。！？；：][\s\"'»”)）]*$")


@dataclass(frozen=True)
class SentenceCandidates:
    """The sentences of one announcement, with their texts and feature rows."""

    hit: Hit
    sentences: list[StoredSentence]
    texts: list[str]
    features: np.ndarray  # one row per sentence, columns as SENTENCE_FEATURES

    def feature(self, index: int, name: str) -> float:
        return float(self.features[index, SENTENCE_FEATURES.index(name)])


def all_terms(terms: Terms) -> list[str]:
    return terms.native + terms.shared


# The same announcements come back question after question: their sentences are analysed once.
@lru_cache(maxsize=16384)
def _terms_of(text: str, lang: str) -> frozenset[str]:
    """A sentence's or a title's terms, without the guessed spellings of names (`Terms`)."""
    return frozenset(all_terms(index_terms(text, lang, with_spellings=False)))


def describe_sentences(
    hit: Hit,
    wanted: Wanted,
    terms: Terms,
    question_lang: str,
    vector: np.ndarray,
    translated: frozenset[str] = frozenset(),
    whitened_vector: np.ndarray | None = None,
    counted: frozenset[str] = frozenset(),
) -> SentenceCandidates:
    """Measure each sentence of the announcement against the question:

    - similarity: the question's inner product with the sentence vector;
    - context_similarity: the same with the sentence read beside the one before and the one
      after it, which says what a sentence such as "Занятия возобновятся 25 марта" is about
      (the Nauryz holidays, named in the sentence before); the stored context vectors meet
      the question as `IndexReader.whiten_query` gives it (`whitened_vector`; by default the
      question as it is, for a reader that does not whiten);
    - topic: how much of that similarity is the announcement's topic (`topic_pull`);
    - focus_words: the question's words that are not in the title nor a year, each weighing
      by how few sentences use it: the title's words and the year found the announcement, the
      others point at the sentence ("участников" in "Сколько участников было на ALT Hack
      2023?");
    - translated_words: the same, for the question's words translated into the language of an
      announcement in another (index/lexicon.py): "guests" is "гостей" in a Russian one;
    - holds_span: the sentence holds the kind of answer asked for (a date for "when") other
      than what the question itself names ("in 2024"); for a question after one thing by
      name ("какая команда", "which network"), a name the question does not name (quoted, or
      in capitals or Latin script: a Chinese name without quotes is not recognised); for a
      question after where, a place (a room, a building, a hall, a square, a street: "во
      Дворце Республики", "бас ғимарат алдындағы алаңда", "计算机教室B-205"); for one
      after how often, a frequency ("every Monday", "раз в неделю", "апта сайын", "每周");
    - asked_unit: for a "how many" question, a number comes with the unit asked for, the
      `counted` terms in the announcement's language ("62 employers", "420 студенті", "7
      жобасы" for "сколько проектов"), for a question after a sum of money a currency, and for
      one after how long a unit of time ("15 minutes", "одного рабочего дня");
    - limit: for a question after a deadline or closing time, the sentence marks a date or
      time as one ("until 29 March", "8 қарашаға дейін", "4月30日前");
    - unasked_limit: for a question after when something happens (not until when), the
      sentence marks a date or time as a limit: "when is the Open Day" is not answered by
      "register until 28 March";
    - reason: for a question after a cause ("why", "почему", "неге", "为什么"), the sentence
      gives one ("because of a server upgrade", "перенос связан с переходом", "байланысты",
      "由于");
    - heading: the line has no sentence-final punctuation;
    - length: log of its length in characters.
    """
    document = hit.document.document
    sentences = [sentence for sentence, _ in hit.sentences]
    texts = [document.text[s.start : s.end] for s in sentences]
    similarities = np.array([score for _, score in hit.sentences], dtype=np.float64)
    question_for_context = vector if whitened_vector is None else whitened_vector
    in_context = np.array(
        [
            score if sentence.context is None else float(sentence.context @ question_for_context)
            for sentence, score in hit.sentences
        ],
        dtype=np.float64,
    )
    title_terms = _terms_of(document.title or "", document.lang)
    question_terms = set(all_terms(terms))
    # The question's own words can only be found in an announcement in its own language;
    # in any other, only its names and numbers can.
    comparable = question_terms if document.lang == question_lang else set(terms.shared)
    # A year the question names says which event it means, as the title's words do ("the
    # 2023 spartakiad"): it marks the lead sentence, not the one holding the fact asked for.
    focus = {
        term for term in comparable - terms.spellings - title_terms if not _YEAR.fullmatch(term)
    }
    sentence_terms = [_terms_of(t, document.lang) for t in texts]
    focus_words = np.array(distinctive_overlap(focus, sentence_terms))
    translated_words = np.array(distinctive_overlap(set(translated - title_terms), sentence_terms))
    published = publication_day(document.date)
    holds_span = [
        1.0 if _holds_span(wanted, text, question_terms, document.lang, published) else 0.0
        for text in texts
    ]
    asked_unit = [
        1.0
        if wanted.kind is AnswerKind.NUMBER
        and holds_asked_unit(text, wanted, counted, document.lang, published)
        else 0.0
        for text in texts
    ]
    limits = [holds_limit(text, published) for text in texts]
    limit = [1.0 if wanted.limit and held else 0.0 for held in limits]
    # "When is the Open Day" asks when it happens, not until when to register for it.
    asks_when = wanted.kind in (AnswerKind.TIME, AnswerKind.CLOCK) and not wanted.limit
    unasked_limit = [1.0 if asks_when and held else 0.0 for held in limits]
    reason = [1.0 if wanted.why and gives_reason(text) else 0.0 for text in texts]
    heading = [0.0 if _SENTENCE_END.search(text.strip()) else 1.0 for text in texts]
    length = [math.log1p(len(text)) for text in texts]
    features = np.column_stack(
        [
            similarities,
            in_context,
            topic_pull(sentences, vector),
            focus_words,
            translated_words,
            holds_span,
            asked_unit,
            limit,
            unasked_limit,
            reason,
            heading,
            length,
        ]
    )
    return SentenceCandidates(hit, sentences, texts, features)


def _holds_span(
    wanted: Wanted, text: str, question_terms: set[str], lang: str, published: date | None
) -> bool:
    named = places_named(text) if wanted.places else frozenset()
    if named and not named & wanted.places:
        return False
    if wanted.kind is not AnswerKind.SENTENCE:
        return extract_span(text, wanted, question_terms, lang, published) is not None
    if wanted.where:
        return names_a_place(text)
    if wanted.often:
        return gives_frequency(text)
    return not wanted.which or holds_name(text, question_terms, lang)


def topic_pull(sentences: list[StoredSentence], vector: np.ndarray) -> np.ndarray:
    """How much of each sentence's similarity to the question is the announcement's topic.

    A lead sentence restates what the whole announcement is about, so it matches every
    question about it; the fact asked for sits in a sentence of its own. Projecting each
    sentence on the announcement's mean direction, times the question's own pull toward that
    direction, measures the topic's share.
    """
    if not sentences:
        return np.zeros(0)
    vectors = np.vstack([sentence.vector for sentence in sentences])
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9:
        return np.zeros(len(vectors))
    direction = mean / norm
    result: np.ndarray = (vectors @ direction) * float(vector @ direction)
    return result
