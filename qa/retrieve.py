"""Retrieval: nearest chunks by the embedder, filtered by metadata, grouped per announcement, then
re-scored by each announcement's best-matching sentences.

Scores are inner products of the question with language-centred passages (index/centering.py),
so they compare across languages; they are not cosines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index.store import IndexReader, StoredChunk, StoredDocument, StoredSentence

# How many chunks to pull per announcement wanted: several chunks of one long announcement
# should not crowd the others out.
_CHUNKS_PER_RESULT = 8
# Announcements re-scored by their sentences; the rest keep their chunk order below them.
RERANK_POOL = 30
# A chunk says what an announcement is about; its best sentence, whether it holds the fact.
CHUNK_WEIGHT = 0.7


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
    sentences: list[tuple[StoredSentence, float]] = field(default_factory=list)


def retrieve(reader: IndexReader, query_vector: np.ndarray, k: int, filters: Filters) -> list[Hit]:
    """The `k` best announcements for `query_vector`, best first, one hit per announcement."""
    allowed = None
    if filters.active():
        allowed = reader.filtered_chunk_ids(
            filters.lang, filters.since, filters.until, filters.category
        )
    pool = max(k, RERANK_POOL)
    scored = reader.search_vectors(query_vector, pool * _CHUNKS_PER_RESULT, allowed)
    chunks = reader.chunks([chunk_id for chunk_id, _ in scored])
    best: dict[int, tuple[int, float]] = {}
    for chunk_id, score in scored:
        chunk = chunks.get(chunk_id)
        if chunk is None:  # deleted since the vectors were loaded
            continue
        if chunk.doc_row not in best or score > best[chunk.doc_row][1]:
            best[chunk.doc_row] = (chunk_id, score)
    ranked = sorted(best.items(), key=lambda item: item[1][1], reverse=True)[:pool]
    documents = reader.documents([doc_row for doc_row, _ in ranked])
    hits = {
        doc_row: Hit(documents[doc_row], chunks[chunk_id], score, score)
        for doc_row, (chunk_id, score) in ranked
        if doc_row in documents
    }
    _rescore_by_sentences(reader, query_vector, hits)
    return sorted(hits.values(), key=lambda hit: hit.score, reverse=True)[:k]


def _rescore_by_sentences(
    reader: IndexReader, query_vector: np.ndarray, hits: dict[int, Hit]
) -> None:
    sentences = reader.sentences(list(hits))
    if not sentences:
        return
    scores = np.vstack([s.vector for s in sentences]) @ query_vector
    for sentence, score in zip(sentences, scores, strict=True):
        hits[sentence.doc_row].sentences.append((sentence, float(score)))
    for hit in hits.values():
        hit.sentences.sort(key=lambda pair: pair[1], reverse=True)
        if hit.sentences:
            hit.score = CHUNK_WEIGHT * hit.chunk_score + (1 - CHUNK_WEIGHT) * hit.sentences[0][1]
