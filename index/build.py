"""The build pipeline: load → chunk → embed → write, incremental by content hash.

A document whose content hash is already stored is not embedded again; a changed one replaces its
chunks in one transaction; with `prune`, documents whose files are gone are removed. Files that
cannot be read are reported and skipped, and what is already indexed stays as it was.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.embedders.base import Embedder
from index.lexical import index_terms
from index.lexicon import WordRecord, document_words
from index.store import (
    ChunkRecord,
    IndexWriter,
    SentenceRecord,
    require_manifest,
    stored_documents,
)
from ingest.chunking import SEGMENTATION_VERSION, chunk_document, split_sentences
from ingest.documents import Document, LoadProblem
from ingest.loaders import discover_files, load_file

Progress = Callable[[str], None]


@dataclass
class IngestReport:
    documents_seen: int = 0
    documents_added: int = 0
    documents_updated: int = 0
    documents_unchanged: int = 0
    documents_removed: int = 0
    chunks_embedded: int = 0
    errors: list[LoadProblem] = field(default_factory=list)
    seconds: float = 0.0
    # id -> "added", "updated" or "unchanged", in the order seen
    outcomes: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "documents_seen": self.documents_seen,
            "documents_added": self.documents_added,
            "documents_updated": self.documents_updated,
            "documents_unchanged": self.documents_unchanged,
            "documents_removed": self.documents_removed,
            "chunks_embedded": self.chunks_embedded,
            "errors": [{"path": p.path, "reason": p.reason} for p in self.errors],
            "seconds": round(self.seconds, 3),
        }


def passage_text(title: str, body: str) -> str:
    """What the embedder reads for a chunk: the title gives short chunks their topic."""
    return f"{title}\n{body}" if title else body


def with_neighbours(sentences: Sequence[str]) -> list[str]:
    """Each sentence with the one before and the one after it, as the embedder reads it for
    `SentenceRecord.context_vector`."""
    return [" ".join(sentences[max(0, i - 1) : i + 2]) for i in range(len(sentences))]


class Embedding:
    """Chunks and embeds documents with one embedder and one chunk budget."""

    def __init__(self, embedder: Embedder, chunk_tokens: int) -> None:
        self.embedder = embedder
        self.chunk_tokens = chunk_tokens
        self._count = lru_cache(maxsize=65536)(embedder.count_tokens)

    def fingerprint(self, document: Document) -> str:
        """What an announcement was indexed from: its content and how it was cut. An ingest
        re-embeds an announcement whose fingerprint changed."""
        cut = f"segmentation {SEGMENTATION_VERSION}, {self.chunk_tokens} tokens"
        return hashlib.sha256(f"{document.content_hash()} {cut}".encode()).hexdigest()

    def records(self, document: Document) -> tuple[list[ChunkRecord], list[SentenceRecord]]:
        chunks = chunk_document(document, self._count, max_tokens=self.chunk_tokens)
        spans = split_sentences(document.text, document.lang)
        passages = [passage_text(document.title, c.text) for c in chunks]
        chunk_vectors = self.embedder.embed_passages(passages)
        sentence_texts = [document.text[s:e] for s, e in spans]
        sentence_vectors = self.embedder.embed_passages(sentence_texts)
        question_vectors = self.embedder.embed_queries(sentence_texts)
        context_vectors = self.embedder.embed_passages(with_neighbours(sentence_texts))
        return (
            [
                ChunkRecord(c, v, index_terms(p, document.lang))
                for c, v, p in zip(chunks, chunk_vectors, passages, strict=True)
            ],
            [
                SentenceRecord(s, e, v, q, c)
                for (s, e), v, q, c in zip(
                    spans, sentence_vectors, question_vectors, context_vectors, strict=True
                )
            ],
        )

    def words(
        self, document: Document, unknown: Callable[[str, list[str]], list[str]]
    ) -> list[WordRecord]:
        """The announcement's words, those the index does not hold yet (`unknown`) embedded
        alone, as a question is: the question's words are compared with them."""
        words = document_words(f"{document.title}\n{document.text}", document.lang)
        new = unknown(document.lang, list(words))
        embedded: dict[str, np.ndarray] = {}
        if new:
            vectors = self.embedder.embed_queries([words[term] for term in new])
            embedded = dict(zip(new, vectors, strict=True))
        return [WordRecord(term, surface, embedded.get(term)) for term, surface in words.items()]


def _is_under(source: str, root: Path) -> bool:
    try:
        Path(source).resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def ingest_paths(
    writer: IndexWriter,
    embedding: Embedding,
    paths: Sequence[Path],
    *,
    max_bytes: int,
    prune: bool = False,
    on_file: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Bring the index up to date with the files under `paths`."""
    started = time.perf_counter()
    report = IngestReport()
    stored = writer.hashes()
    seen_ids: set[str] = set()
    unreadable_sources: set[str] = set()

    batches: list[tuple[Path, list[Path]]] = []
    for path in paths:
        if not path.exists():
            report.errors.append(LoadProblem(str(path), "no such file or folder"))
            continue
        root = path if path.is_dir() else path.parent
        files, problems = discover_files(path)
        report.errors.extend(problems)
        batches.append((root, files))
    if on_total:
        on_total(sum(len(files) for _, files in batches))

    for root, files in batches:
        for file in files:
            doc_id = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
            documents, problems = load_file(file, doc_id, max_bytes=max_bytes)
            report.errors.extend(problems)
            if problems and not documents:
                unreadable_sources.add(str(file))
            for document in documents:
                _store_document(writer, embedding, document, stored, seen_ids, report)
            if on_file:
                on_file(str(file))

    if prune:
        roots = [p if p.is_dir() else p.parent for p in paths if p.exists()]
        gone = [
            doc_id
            for doc_id, (_, source) in stored.items()
            if doc_id not in seen_ids
            and source not in unreadable_sources
            and any(_is_under(source, root) for root in roots)
        ]
        report.documents_removed = writer.delete(gone)
    writer.publish()
    report.seconds = time.perf_counter() - started
    return report


def _store_document(
    writer: IndexWriter,
    embedding: Embedding,
    document: Document,
    stored: dict[str, tuple[str, str]],
    seen_ids: set[str],
    report: IngestReport,
) -> None:
    if document.id in seen_ids:
        report.errors.append(
            LoadProblem(document.source, f"duplicate id {document.id!r}; kept the first one")
        )
        return
    seen_ids.add(document.id)
    report.documents_seen += 1
    fingerprint = embedding.fingerprint(document)
    previous = stored.get(document.id)
    if previous is not None and previous[0] == fingerprint:
        report.documents_unchanged += 1
        report.outcomes[document.id] = "unchanged"
        return
    chunks, sentences = embedding.records(document)
    words = embedding.words(document, writer.unknown_words)
    writer.put(document, fingerprint, chunks, sentences, words)
    report.chunks_embedded += len(chunks)
    if previous is None:
        report.documents_added += 1
        report.outcomes[document.id] = "added"
    else:
        report.documents_updated += 1
        report.outcomes[document.id] = "updated"


def ingest_documents(
    writer: IndexWriter, embedding: Embedding, documents: Iterable[Document]
) -> IngestReport:
    """Index announcements that arrive without a file (the portal's POST)."""
    started = time.perf_counter()
    report = IngestReport()
    stored = writer.hashes()
    seen: set[str] = set()
    for document in documents:
        _store_document(writer, embedding, document, stored, seen, report)
    writer.publish()
    report.seconds = time.perf_counter() - started
    return report


def rebuild(
    index_dir: Path,
    embedding: Embedding,
    on_document: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Re-chunk and re-embed every stored document into a new database, then switch to it.

    Works from the stored text, so it also moves an index to another embedder or chunk budget;
    the old index keeps serving until the switch.
    """
    started = time.perf_counter()
    report = IngestReport()
    require_manifest(index_dir, any_format=True)  # no index to rebuild: say so, create nothing
    with IndexWriter(
        index_dir, embedding.embedder.name, embedding.embedder.dim, fresh=True
    ) as writer:
        # Read under the writer's lock, so nothing ingested meanwhile is left out.
        documents = stored_documents(index_dir)
        if on_total:
            on_total(len(documents))
        seen: set[str] = set()
        for document in documents:
            _store_document(writer, embedding, document, {}, seen, report)
            if on_document:
                on_document(document.id)
        writer.publish()
    report.seconds = time.perf_counter() - started
    return report
