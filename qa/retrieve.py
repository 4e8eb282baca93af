"""Retrieval: nearest chunks by the embedder, filtered by metadata, grouped per announcement."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.store import IndexReader, StoredChunk, StoredDocument

# How many chunks to pull per announcement wanted: several chunks of one long announcement
# should not crowd the others out of the top k.
_CHUNKS_PER_RESULT = 8


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
    """One announcement found, with its best chunk."""

    document: StoredDocument
    chunk: StoredChunk
    score: float


def retrieve(reader: IndexReader, query_vector: np.ndarray, k: int, filters: Filters) -> list[Hit]:
    """The `k` best announcements for `query_vector`, best first, one hit per announcement."""
    allowed = None
    if filters.active():
        allowed = reader.filtered_chunk_ids(
            filters.lang, filters.since, filters.until, filters.category
        )
    scored = reader.search_vectors(query_vector, k * _CHUNKS_PER_RESULT, allowed)
    best: dict[int, tuple[int, float]] = {}
    chunks = reader.chunks([chunk_id for chunk_id, _ in scored])
    for chunk_id, score in scored:
        chunk = chunks.get(chunk_id)
        if chunk is None:  # deleted since the vectors were loaded
            continue
        if chunk.doc_row not in best or score > best[chunk.doc_row][1]:
            best[chunk.doc_row] = (chunk_id, score)
    ranked = sorted(best.items(), key=lambda item: item[1][1], reverse=True)[:k]
    documents = reader.documents([doc_row for doc_row, _ in ranked])
    return [
        Hit(documents[doc_row], chunks[chunk_id], score)
        for doc_row, (chunk_id, score) in ranked
        if doc_row in documents
    ]
