"""Retrieval: nearest chunks by the embedder, filtered by metadata, grouped per announcement, then
re-scored by each announcement's best-matching sentences and, when one is configured, by a
cross-encoder reranker.

Scores are inner products of the question with language-centred passages (index/centering.py),
so they compare across languages; they are not cosines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from index.lexical import Terms
from index.store import IndexReader, StoredChunk, StoredDocument, StoredSentence
from qa.answer import publication_day
from qa.rerankers.base import Reranker
from qa.timeframe import TimeFrame, years_spoken_of
from settings import default

# How many chunks to pull per announcement wanted: several chunks of one long announcement
# should not crowd the others out.
_CHUNKS_PER_RESULT = 8
# Announcements re-scored by their sentences; the rest keep their chunk order below them.
RERANK_POOL = 30


@dataclass(frozen=True)
class RetrievalOptions:
    """How the evidence is weighed; the defaults were chosen on the dev set (docs/quality.md).

    `sentence_weight`: a chunk says what an announcement is about, its best sentence whether it
    holds the fact; the score mixes them (0 = chunks only). `own_language_weight` and
    `shared_weight`: what the best lexical match adds, for the question's own words (in its own
    language only) and for names and numbers shared across languages; dense scores of relevant
    announcements lie about 0.05 above the rest. `cross_script_weight` replaces `shared_weight`
    between a Chinese announcement and a question in another language, or the other way round:
    there the only words in common are names spelled across scripts (兰州 and "Ланьчжоу",
    "Lanzhou"), numbers and Latin terms, all rare and telling, and dense matching is at its
    weakest (docs/quality.md). `date_weight`: what an announcement gains for
    being from the year the question names, or for being the newest when it asks for the latest
    (0 also leaves the newest of a kind where it ranks: `_newest_of_a_kind_first`), and what
    one loses that never speaks of a year the question writes out.
    `reranker_weight`: what a reranker score of 1 adds, for each of the `reranker_depth` best
    announcements (only when a reranker is given; 0 = the reranker is not asked).
    `question_centering`: the share of the question language's mean question (its sentences
    embedded as questions) taken out of the question before chunks and sentences rank the
    announcements; the answer's sentence is still chosen by similarity to the question as
    asked.
    """

    sentence_weight: float = default("sentence_weight")
    own_language_weight: float = default("lexical_own_language")
    shared_weight: float = default("lexical_shared")
    cross_script_weight: float = default("lexical_cross_script")
    date_weight: float = default("date_weight")
    reranker_weight: float = default("reranker_weight")
    reranker_depth: int = default("reranker_depth")
    question_centering: float = default("question_centering")


# The BM25 score at which lexical evidence counts half its weight.
BM25_HALF = 5.0


@dataclass(frozen=True)
class Filters:
    lang: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    category: str | None = None

    def active(self) -> bool:
        return any((self.lang, self.since, self.until, self.category))


@dataclass
class Hit:
    """One announcement found: its best chunk, its sentences by similarity, and its score."""

    document: StoredDocument
    chunk: StoredChunk
    chunk_score: float
    score: float
    lexical: float = 0.0  # what lexical evidence added to `score`
    lexical_match: float = 0.0  # the stronger of its two lexical matches, in [0, 1)
    reranker_gain: float = 0.0  # what the reranker added to `score`
    supersedes: StoredDocument | None = None  # an earlier announcement this one changes
    # For a question after the latest: an earlier announcement of the same kind it went before.
    newer_than: StoredDocument | None = None
    # The same announcement in other languages, folded into this hit.
    versions: list[StoredDocument] = field(default_factory=list)
    sentences: list[tuple[StoredSentence, float]] = field(default_factory=list)

    @property
    def doc_ids(self) -> set[str]:
        """This announcement's id and those of the language versions folded into it."""
        return {self.document.document.id, *(v.document.id for v in self.versions)}

    @property
    def retrieval_score(self) -> float:
        """The score without the reranker's gain: what the answer calibration was fitted on."""
        return self.score - self.reranker_gain


def retrieve(
    reader: IndexReader,
    query_vector: np.ndarray,
    terms: Terms,
    question_lang: str,
    k: int,
    filters: Filters,
    options: RetrievalOptions | None = None,
    timeframe: TimeFrame | None = None,
    *,
    reranker: Reranker | None = None,
    question: str = "",
) -> list[Hit]:
    """The `k` best announcements for the question, best first, one hit per announcement.

    Dense and lexical candidates are pooled per announcement. Lexical evidence is
    language-aware: the question's words count only in announcements of its own language,
    while names, numbers and Latin-script terms count in announcements of other languages.
    Each is squashed into [0, 1) (`_scaled`) and only ever adds to the dense score, so it
    cannot push down an announcement that matches the question in another language.

    A `reranker` reads the `question` with each of the best announcements' passages.
    """
    options = options or RetrievalOptions()
    if reranker is not None and not question.strip():
        raise ValueError("a reranker needs the question's text")
    allowed = None
    if filters.active():
        allowed = reader.filtered_chunk_ids(
            filters.lang, filters.since, filters.until, filters.category
        )
    pool = max(k, RERANK_POOL)
    fetch = pool * _CHUNKS_PER_RESULT
    common = options.question_centering * reader.centroids("question").of(question_lang)
    dense = _best_per_document(reader, reader.search_vectors(query_vector - common, fetch, allowed))
    native = _best_per_document(
        reader,
        reader.lexical_search("native", terms.native, fetch, question_lang, allowed)
        if options.own_language_weight
        else [],
    )
    shared = _best_per_document(
        reader,
        reader.lexical_search(
            "shared", terms.shared, fetch, question_lang, allowed, other_languages=True
        )
        if options.shared_weight or options.cross_script_weight
        else [],
    )

    floor = min((score for _, score in dense.values()), default=0.0)
    candidates = _top(dense, pool)
    candidates += _top(native, pool) + _top(shared, pool)
    documents = reader.documents(list(dict.fromkeys(candidates)))
    hits: dict[int, Hit] = {}
    for row in dict.fromkeys(candidates):
        if row not in documents:
            continue
        # An announcement found by its words alone ranks as the weakest dense match.
        if row in dense:
            chunk, chunk_score = dense[row]
        else:
            chunk, chunk_score = (native.get(row) or shared[row])[0], floor
        shared_weight = (
            options.cross_script_weight
            if _across_han_script(documents[row].document.lang, question_lang)
            else options.shared_weight
        )
        hits[row] = Hit(
            documents[row],
            chunk,
            chunk_score,
            chunk_score,
            lexical=options.own_language_weight * _scaled(native, row)
            + shared_weight * _scaled(shared, row),
            lexical_match=max(_scaled(native, row), _scaled(shared, row)),
        )
    _rescore_by_sentences(reader, query_vector, common, hits, options.sentence_weight)
    if timeframe:
        _prefer_time(list(hits.values()), timeframe, options.date_weight)
    ranked = sorted(hits.values(), key=lambda hit: hit.score, reverse=True)
    if reranker is not None and options.reranker_weight > 0:
        # The reranker's score is evidence of relevance like the sentence, lexical and date
        # evidence above, so it joins them before the two steps that only rearrange hits by
        # their scores: folding translations (one entry per announcement, kept at its best
        # version's place) and putting a notice's newer version first. Each version of a
        # translated announcement is scored in its own language.
        ranked = _rerank(
            ranked, reranker, question, options.reranker_weight, options.reranker_depth
        )
    if timeframe is not None and timeframe.latest and options.date_weight:
        ranked = _newest_of_a_kind_first(reader, ranked)
    ranked = _fold_translations(reader, _newer_version_first(reader, ranked), question_lang)
    return ranked[:k]


# Languages written in Chinese characters, where an alphabet's words never occur.
_HAN_WRITTEN = frozenset({"zh"})


def _across_han_script(document_lang: str, question_lang: str) -> bool:
    return (document_lang in _HAN_WRITTEN) != (question_lang in _HAN_WRITTEN)


def _rerank(
    ranked: list[Hit], reranker: Reranker, question: str, weight: float, depth: int
) -> list[Hit]:
    """Add `weight` times the reranker's score to each of the `depth` best hits and sort again.

    The gains are never negative, so the hits re-scored stay above those that were not.
    """
    top = ranked[:depth]
    if not top:
        return ranked
    scores = reranker.score(question, [reranker_passage(hit) for hit in top])
    for hit, relevance in zip(top, scores, strict=True):
        hit.reranker_gain = weight * float(relevance)
        hit.score += hit.reranker_gain
    return sorted(ranked, key=lambda hit: hit.score, reverse=True)


def reranker_passage(hit: Hit) -> str:
    """What the reranker reads of an announcement: its best chunk (what the announcement is
    about, in context), preceded by its best sentence when that lies outside the chunk (the
    fact may be elsewhere in a long announcement). The sentence goes first because
    cross-encoders cut long inputs at their end."""
    text = hit.document.document.text
    passage = text[hit.chunk.start : hit.chunk.end]
    if hit.sentences:
        best = hit.sentences[0][0]
        if not (hit.chunk.start <= best.start and best.end <= hit.chunk.end):
            passage = text[best.start : best.end] + "\n" + passage
    return passage


# The newest announcement gains the full weight, one a year older half of it.
_RECENCY_HALF_LIFE_DAYS = 365


def _prefer_time(hits: list[Hit], timeframe: TimeFrame, weight: float) -> None:
    """Hold back announcements that never speak of a year the question writes out
    (`years_spoken_of`); raise those from the year the question names, or the newest ones
    when it asks for the latest (undated announcements gain nothing)."""
    days = [(hit, publication_day(hit.document.document.date)) for hit in hits]
    if timeframe.written_years:
        for hit, day in days:
            document = hit.document.document
            if not timeframe.written_years <= years_spoken_of(document.title, document.text, day):
                hit.score -= weight
    if timeframe.year is None and not timeframe.latest:
        return
    dated = [(hit, day) for hit, day in days if day is not None]
    if not dated:
        return
    newest = max(day for _, day in dated)
    for hit, day in dated:
        if timeframe.year is not None:
            gain = weight if day.year == timeframe.year else 0.0
        else:
            gain = weight * 0.5 ** ((newest - day).days / _RECENCY_HALF_LIFE_DAYS)
        hit.score += gain


# Translations of one announcement: other languages, published within a few days, and close in
# what they say once each language's centroid is taken out. On the dev corpus the six known
# translation pairs lie at 0.31-0.70 and every other pair published that close at most 0.27
# (unrelated announcements in two languages lie far below).
SAME_TEXT = 0.3
_TRANSLATION_DAYS = 3


def _fold_translations(reader: IndexReader, ranked: list[Hit], question_lang: str) -> list[Hit]:
    """One entry per announcement: its versions in other languages fold into the best-ranked
    one, and the version in the question's language is the one shown."""
    kept: list[Hit] = []
    for hit in ranked[:RERANK_POOL]:
        home = next((k for k in kept if _translates(reader, k, hit)), None)
        if home is None:
            kept.append(hit)
            continue
        home.versions.append(hit.document)
        if hit.document.document.lang == question_lang != home.document.document.lang:
            # Show the question's language; the announcement keeps its place in the ranking.
            home.versions[-1] = home.document
            home.document, home.chunk, home.sentences = hit.document, hit.chunk, hit.sentences
    return kept


def _translates(reader: IndexReader, a: Hit, b: Hit) -> bool:
    doc_a, doc_b = a.document.document, b.document.document
    day_a, day_b = publication_day(doc_a.date), publication_day(doc_b.date)
    if doc_a.lang == doc_b.lang or day_a is None or day_b is None:
        return False
    if abs((day_a - day_b).days) > _TRANSLATION_DAYS:
        return False
    return _alike(reader, a, b, SAME_TEXT, across_languages=True)


# An announcement says it changes an earlier one ("приём продлён до 20 сентября").
_CHANGE_WORDS = re.compile(
    r"продл[её]н|продлева|перенес[её]н|перенос|изменени|extended|postponed|rescheduled|"
    r"moved to|ұзартыл|ауыстырыл|кейінге қалдыр|延长|推迟|改期",
    re.IGNORECASE,
)
# Two announcements this close in what they are about (unit mean chunk vectors) are versions
# of one notice: on the dev corpus each moved deadline and its original lie at 0.95–0.96.
SAME_NOTICE = 0.95
_VERSIONS_LOOKED_AT = 5


def _newer_version_first(reader: IndexReader, ranked: list[Hit]) -> list[Hit]:
    """If a later announcement in the same language says it changes the first one (a moved
    deadline), it goes first; either way the first says which earlier one it changes, so
    "what is the deadline" gets the current one and a reader sees that it moved."""
    if len(ranked) < 2 or not ranked[0].document.document.date:
        return ranked
    first = ranked[0]
    for hit in ranked[1:_VERSIONS_LOOKED_AT]:
        newer, older = _order_versions(first, hit)
        if newer is None or older is None:
            continue
        if _alike(reader, first, hit, SAME_NOTICE, across_languages=False):
            newer.supersedes = older.document
            return _to_front(newer, ranked)
    return ranked


# Two announcements this close once each language's centroid is taken out are about one kind
# of thing: on the dev corpus (scripts/document_pairs.py) every pair at 0.4 or more is a notice
# and its change, a translation, one event in two years (ALT Hack 2023 and 2025: 0.45) or two
# notices on one subject (the Chinese course and the HSK test: 0.44); below it, unrelated pairs
# begin (the 2023 hackathon and the 2023 research grants: 0.32).
SAME_KIND = 0.4


def _newest_of_a_kind_first(reader: IndexReader, ranked: list[Hit]) -> list[Hit]:
    """For a question after the latest ("when was the latest ALT Hack", "қазіргі мерзім"):
    the newest of the first few announcements that are of the same kind as the first goes
    first, and says which one it went before."""
    first = ranked[0] if ranked else None
    if first is None or not first.document.document.date:
        return ranked
    first_day = first.document.document.date
    later = [
        hit
        for hit in ranked[1:_VERSIONS_LOOKED_AT]
        if hit.document.document.date
        and hit.document.document.date > first_day
        and _alike(reader, first, hit, SAME_KIND, across_languages=True)
    ]
    # The earliest ranked of the newest, as the first of equals.
    newest = max(later, key=lambda hit: hit.document.document.date or "", default=None)
    if newest is None:
        return ranked
    newest.newer_than = first.document
    return _to_front(newest, ranked)


def _alike(
    reader: IndexReader, a: Hit, b: Hit, threshold: float, *, across_languages: bool
) -> bool:
    """Whether the two hits' announcements lie within `threshold` (cosine) of each other
    (`_direction`)."""
    va = _direction(reader, a, across_languages=across_languages)
    vb = _direction(reader, b, across_languages=across_languages)
    return va is not None and vb is not None and float(va @ vb) >= threshold


def _direction(reader: IndexReader, hit: Hit, *, across_languages: bool) -> np.ndarray | None:
    """What the hit's announcement is about, as one unit vector (its mean chunk vector);
    `across_languages` takes its language's centroid out first, so that announcements in two
    languages compare by what they say."""
    document = hit.document
    return reader.document_direction(
        document.row_id, document.document.lang if across_languages else None
    )


def _to_front(hit: Hit, ranked: list[Hit]) -> list[Hit]:
    return [hit, *(other for other in ranked if other is not hit)]


def _order_versions(a: Hit, b: Hit) -> tuple[Hit | None, Hit | None]:
    """(newer, older) when one of two same-language announcements is later and says it
    changes something; (None, None) otherwise."""
    doc_a, doc_b = a.document.document, b.document.document
    if doc_a.lang != doc_b.lang or not doc_a.date or not doc_b.date or doc_a.date == doc_b.date:
        return None, None
    newer, older = (a, b) if doc_a.date > doc_b.date else (b, a)
    if not _CHANGE_WORDS.search(newer.document.document.text):
        return None, None
    return newer, older


def _best_per_document(
    reader: IndexReader, scored: list[tuple[int, float]]
) -> dict[int, tuple[StoredChunk, float]]:
    """document row -> (its best chunk, that chunk's score)."""
    chunks = reader.chunks([chunk_id for chunk_id, _ in scored])
    best: dict[int, tuple[StoredChunk, float]] = {}
    for chunk_id, score in scored:
        chunk = chunks.get(chunk_id)  # None if deleted since the vectors were loaded
        if chunk is not None and (chunk.doc_row not in best or score > best[chunk.doc_row][1]):
            best[chunk.doc_row] = (chunk, score)
    return best


def _top(scores: dict[int, tuple[StoredChunk, float]], n: int) -> list[int]:
    return sorted(scores, key=lambda row: scores[row][1], reverse=True)[:n]


def _scaled(scores: dict[int, tuple[StoredChunk, float]], row: int) -> float:
    """BM25 squashed into [0, 1): a few rare shared words approach 1, common ones stay near 0.

    Not scaled to the best match of the search: when nothing rare matches, the best match is
    weak and must stay weak.
    """
    if row not in scores:
        return 0.0
    score = max(scores[row][1], 0.0)
    return score / (score + BM25_HALF)


def _rescore_by_sentences(
    reader: IndexReader,
    query_vector: np.ndarray,
    common: np.ndarray,
    hits: dict[int, Hit],
    sentence_weight: float,
) -> None:
    """Mix each announcement's best sentence into its score. The sentences keep their
    similarity to the question as asked, by which the answer's sentence is chosen; the
    announcement is ranked by its best sentence's similarity without the `common` part."""
    sentences = reader.sentences(list(hits))
    if not sentences:
        return
    vectors = np.vstack([s.vector for s in sentences])
    similarities = vectors @ query_vector
    ranking = similarities - vectors @ common
    best: dict[int, float] = {}
    for sentence, similarity, score in zip(sentences, similarities, ranking, strict=True):
        hits[sentence.doc_row].sentences.append((sentence, float(similarity)))
        best[sentence.doc_row] = max(best.get(sentence.doc_row, -np.inf), float(score))
    for row, hit in hits.items():
        hit.sentences.sort(key=lambda pair: pair[1], reverse=True)
        dense = hit.chunk_score
        if row in best:
            dense = (1 - sentence_weight) * hit.chunk_score + sentence_weight * best[row]
        hit.score = dense + hit.lexical
