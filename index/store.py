"""The on-disk index: one folder with a SQLite database, a FAISS file and a manifest.

SQLite is the source of truth — documents, chunks, sentences and their vectors (as blobs) — so
every change is one transaction, and a crash leaves the last committed state. The FAISS file is a
cache of the chunk vectors for one committed generation; a reader that finds it missing or stale
rebuilds it from the blobs in its own snapshot. `manifest.json` names the live database and the
embedder; `rebuild` writes a whole new database and switches to it by replacing the manifest
atomically, so a reader sees either the old index or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import math
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.centering import Centroids
from index.errors import EmbedderMismatchError, IndexCorruptError, IndexMissingError
from index.lexical import Terms
from index.lexicon import Lexicon, WordRecord
from ingest.documents import Chunk, Document, Page
from settings import default

# 4: Chinese text is also indexed under the Palladius spelling of its names.
# 5: each sentence is also stored embedded as a question, for the question centroids.
# 6: a Chinese run and a Latin word it touches ("的ALT") are romanised apart.
# 7: the words of each announcement, embedded alone, for word translations (index/lexicon.py).
# 8: each sentence is also stored embedded with its neighbours, for the sentence choice.
FORMAT_VERSION = 8
MANIFEST = "manifest.json"
# Below SQLite's limit on the variables of one statement.
_SQL_VARIABLES = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    date TEXT,
    lang TEXT NOT NULL,
    category TEXT,
    source TEXT NOT NULL,
    pages TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS chunks (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_row INTEGER NOT NULL REFERENCES documents(row_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_row);
CREATE TABLE IF NOT EXISTS sentences (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_row INTEGER NOT NULL REFERENCES documents(row_id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    vector BLOB NOT NULL,
    question_vector BLOB NOT NULL,
    context_vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_row);
-- The lexical index: each chunk's analysed terms and title (index/lexical.py), rowid = chunk.
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(native, shared, tokenize = 'unicode61');
-- Per language, the count and sum of chunk and sentence vectors, of the sentences embedded as
-- questions and with their neighbours: their centroids, kept exact in the same transaction as
-- every write (see index/centering.py).
CREATE TABLE IF NOT EXISTS language_sums (
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    count INTEGER NOT NULL,
    total BLOB NOT NULL,
    PRIMARY KEY (kind, lang)
);
-- Every word an announcement has held, embedded alone once (index/lexicon.py). A word no
-- announcement holds any more keeps its vector, so it is not embedded again if one comes back.
CREATE TABLE IF NOT EXISTS words (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT,
    lang TEXT NOT NULL,
    term TEXT NOT NULL,
    surface TEXT NOT NULL,
    vector BLOB NOT NULL,
    UNIQUE (lang, term)
);
CREATE TABLE IF NOT EXISTS document_words (
    doc_row INTEGER NOT NULL REFERENCES documents(row_id) ON DELETE CASCADE,
    word_row INTEGER NOT NULL REFERENCES words(row_id),
    PRIMARY KEY (doc_row, word_row)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS document_words_word ON document_words(word_row);
"""


@dataclass(frozen=True)
class StoredDocument:
    row_id: int
    document: Document
    content_hash: str
    ingested_at: str


@dataclass(frozen=True)
class StoredChunk:
    row_id: int
    doc_row: int
    ordinal: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StoredSentence:
    doc_row: int
    start: int
    end: int
    vector: np.ndarray
    # The sentence embedded with the sentences before and after it (`SentenceRecord`),
    # language-centred but not whitened (`IndexReader.whiten_query`); None for a stand-in that
    # is not a stored sentence.
    context: np.ndarray | None = None


@dataclass(frozen=True)
class IndexStats:
    documents: int
    chunks: int
    sentences: int
    words: int  # the distinct words the announcements hold, for word translations
    languages: dict[str, int]
    categories: dict[str, int]
    embedder: str
    dim: int
    generation: int
    updated_at: str | None
    path: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _vectors(blobs: Iterable[bytes], dim: int) -> np.ndarray:
    data = b"".join(blobs)
    return np.frombuffer(data, dtype=np.float32).reshape(-1, dim).copy()


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_manifest(index_dir: Path, *, any_format: bool = False) -> dict[str, Any] | None:
    """The manifest of the index in `index_dir`, None if there is none. An index of another
    format is refused unless `any_format` (a rebuild reads its documents to make a new one)."""
    path = index_dir / MANIFEST
    if not path.exists():
        return None
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"cannot read {path}: {exc}; run `zharshy rebuild` or remove the folder"
        ) from exc
    if manifest.get("format") != FORMAT_VERSION and not any_format:
        raise IndexCorruptError(
            f"{path} has format {manifest.get('format')!r}, this version reads {FORMAT_VERSION}; "
            "run `zharshy rebuild`"
        )
    return manifest


def require_manifest(index_dir: Path, *, any_format: bool = False) -> dict[str, Any]:
    """The manifest, or the error that says how to build an index."""
    manifest = read_manifest(index_dir, any_format=any_format)
    if manifest is None:
        raise IndexMissingError(
            f"no index in {index_dir}; build one with `zharshy ingest corpus/` "
            "(or point ZHARSHY_INDEX_DIR / --index-dir at an existing index)"
        )
    return manifest


def check_embedder(manifest: dict[str, Any], embedder_name: str, index_dir: Path) -> None:
    built_with = manifest.get("embedder")
    if built_with != embedder_name:
        raise EmbedderMismatchError(
            f"the index in {index_dir} was built with embedder {built_with!r}, but "
            f"{embedder_name!r} is configured. Run `zharshy rebuild` to re-embed it with "
            f"{embedder_name!r}, or set ZHARSHY_EMBEDDER={built_with} to keep using it."
        )


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            check_same_thread=False,
            isolation_level=None,
        )
    else:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.row_factory = sqlite3.Row
    return conn


def _document_from_row(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        url=row["url"],
        date=row["date"],
        lang=row["lang"],
        category=row["category"],
        source=row["source"],
        pages=tuple(Page(number=n, start=s) for n, s in json.loads(row["pages"])),
    )


def _stored_document(row: sqlite3.Row) -> StoredDocument:
    return StoredDocument(
        row["row_id"], _document_from_row(row), row["content_hash"], row["ingested_at"]
    )


class _Database:
    """Queries shared by the reader and the writer."""

    conn: sqlite3.Connection
    dim: int
    index_dir: Path
    # Off only to measure what language centering earns (`zharshy eval --ablation`).
    centering: bool = True

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def generation(self) -> int:
        return int(self.meta("generation", "0") or 0)

    def hashes(self) -> dict[str, tuple[str, str]]:
        """id -> (content hash, source) of every stored document."""
        rows = self.conn.execute("SELECT id, content_hash, source FROM documents")
        return {r["id"]: (r["content_hash"], r["source"]) for r in rows}

    def documents(self, row_ids: Sequence[int] | None = None) -> dict[int, StoredDocument]:
        query = "SELECT * FROM documents"
        params: tuple[int, ...] = ()
        if row_ids is not None:
            if not row_ids:
                return {}
            query += f" WHERE row_id IN ({','.join('?' * len(row_ids))})"
            params = tuple(row_ids)
        return {r["row_id"]: _stored_document(r) for r in self.conn.execute(query, params)}

    def document_by_id(self, doc_id: str) -> StoredDocument | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _stored_document(row) if row is not None else None

    def chunks(self, row_ids: Sequence[int]) -> dict[int, StoredChunk]:
        if not row_ids:
            return {}
        rows = self.conn.execute(
            "SELECT row_id, doc_row, ordinal, start, end, text FROM chunks "
            f"WHERE row_id IN ({','.join('?' * len(row_ids))})",
            tuple(row_ids),
        )
        return {r["row_id"]: StoredChunk(**dict(r)) for r in rows}

    def chunk_at(self, doc_row: int, offset: int) -> StoredChunk | None:
        """The first chunk of a document that holds character `offset`."""
        row = self.conn.execute(
            "SELECT row_id, doc_row, ordinal, start, end, text FROM chunks "
            "WHERE doc_row = ? AND start <= ? AND end > ? ORDER BY ordinal LIMIT 1",
            (doc_row, offset, offset),
        ).fetchone()
        return StoredChunk(**dict(row)) if row else None

    def sentences(self, doc_rows: Sequence[int]) -> list[StoredSentence]:
        """The sentences of these documents, with language-centred vectors (whitened, for a
        reader that whitens) and language-centred context vectors."""
        if not doc_rows:
            return []
        rows = self.conn.execute(
            "SELECT s.doc_row, s.start, s.end, s.vector, s.context_vector, d.lang FROM sentences s "
            "JOIN documents d ON d.row_id = s.doc_row "
            f"WHERE s.doc_row IN ({','.join('?' * len(doc_rows))}) ORDER BY s.doc_row, s.start",
            tuple(doc_rows),
        ).fetchall()
        if not rows:
            return []
        langs = [r["lang"] for r in rows]
        vectors = _vectors((r["vector"] for r in rows), self.dim)
        vectors = self._whiten(self.centroids("sentence").center(vectors, langs))
        # Left unwhitened: only the few announcements whose sentences are described compare
        # them with the question, which `whiten_query` whitens once instead.
        contexts = self.centroids("context").center(
            _vectors((r["context_vector"] for r in rows), self.dim), langs
        )
        return [
            StoredSentence(r["doc_row"], r["start"], r["end"], vector, context)
            for r, vector, context in zip(rows, vectors, contexts, strict=True)
        ]

    def lexical_search(
        self,
        column: str,
        terms: Sequence[str],
        k: int,
        lang: str | None = None,
        allowed_ids: np.ndarray | None = None,
        *,
        other_languages: bool = False,
    ) -> list[tuple[int, float]]:
        """(chunk row id, BM25 score) of the `k` chunks whose `column` ("native" or "shared")
        best matches any of `terms`; with `lang`, only in documents of that language, or with
        `other_languages`, only in documents of any other."""
        unique = sorted(set(terms))
        if column not in ("native", "shared") or not unique or k <= 0:
            return []
        query = (
            f"{column} : ("
            + " OR ".join('"' + term.replace('"', '""') + '"' for term in unique)
            + ")"
        )
        language_clause = f"AND d.lang {'!=' if other_languages else '='} ?" if lang else ""
        rows = self.conn.execute(
            "SELECT t.rowid, -bm25(chunk_terms) AS score FROM chunk_terms t "
            "JOIN chunks c ON c.row_id = t.rowid JOIN documents d ON d.row_id = c.doc_row "
            f"WHERE chunk_terms MATCH ? {language_clause} ORDER BY score DESC LIMIT ?",
            (query, *([lang] if lang else []), k if allowed_ids is None else k * 20),
        ).fetchall()
        allowed = None if allowed_ids is None else set(allowed_ids.tolist())
        hits = [(int(r[0]), float(r[1])) for r in rows if allowed is None or r[0] in allowed]
        return hits[:k]

    def filtered_chunk_ids(
        self, lang: str | None, since: str | None, until: str | None, category: str | None
    ) -> np.ndarray:
        clauses, params = [], []
        if lang:
            clauses.append("d.lang = ?")
            params.append(lang)
        if since:
            clauses.append("d.date >= ?")
            params.append(since)
        if until:
            clauses.append("d.date <= ?")
            params.append(until)
        if category:
            clauses.append("d.category = ?")
            params.append(category)
        where = " AND ".join(clauses) or "1"
        rows = self.conn.execute(
            f"SELECT c.row_id FROM chunks c JOIN documents d ON d.row_id = c.doc_row WHERE {where}",
            params,
        )
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def stats(self) -> IndexStats:
        def count(table: str) -> int:
            return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        def histogram(column: str) -> dict[str, int]:
            rows = self.conn.execute(
                f"SELECT coalesce({column}, '') AS k, count(*) AS n FROM documents "
                f"GROUP BY k ORDER BY n DESC"
            )
            return {r["k"]: r["n"] for r in rows}

        return IndexStats(
            documents=count("documents"),
            chunks=count("chunks"),
            sentences=count("sentences"),
            words=count("(SELECT DISTINCT word_row FROM document_words)"),
            languages=histogram("lang"),
            categories=histogram("category"),
            embedder=self.meta("embedder", "") or "",
            dim=self.dim,
            generation=self.generation(),
            updated_at=self.meta("updated_at"),
            path=str(self.index_dir),
        )

    def document_direction(self, doc_row: int, lang: str | None = None) -> np.ndarray | None:
        """The unit mean of a document's chunk vectors: what it is about, as one vector. With
        `lang`, that language's centroid is taken out first, so versions of one text in two
        languages can be compared."""
        blobs = [
            r[0]
            for r in self.conn.execute("SELECT vector FROM chunks WHERE doc_row = ?", (doc_row,))
        ]
        if not blobs:
            return None
        mean = _vectors(blobs, self.dim).mean(axis=0)
        if lang is not None:
            mean = mean - self.centroids("chunk").of(lang)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else None

    def _whiten(self, vectors: np.ndarray) -> np.ndarray:
        return vectors

    def whiten_query(self, query: np.ndarray) -> np.ndarray:
        """The question as unwhitened passage vectors meet it: p·(Mq) is the whitened score."""
        return query

    def centroids(self, kind: str) -> Centroids:
        if not self.centering:
            return Centroids({}, self.dim)  # all zeros: vectors stay as the embedder made them
        rows = self.conn.execute(
            "SELECT lang, count, total FROM language_sums WHERE kind = ? AND count > 0", (kind,)
        )
        sums = {r["lang"]: (r["count"], np.frombuffer(r["total"], dtype=np.float64)) for r in rows}
        return Centroids(sums, self.dim)

    def centered_chunk_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Row ids and language-centred vectors of every chunk, for the FAISS index."""
        ids, blobs, langs = [], [], []
        rows = self.conn.execute(
            "SELECT c.row_id, c.vector, d.lang FROM chunks c "
            "JOIN documents d ON d.row_id = c.doc_row ORDER BY c.row_id"
        )
        for row in rows:
            ids.append(row[0])
            blobs.append(row[1])
            langs.append(row[2])
        vectors = self.centroids("chunk").center(_vectors(blobs, self.dim), langs)
        return np.asarray(ids, dtype=np.int64), vectors


def _flat_index(dim: int, ids: np.ndarray, vectors: np.ndarray) -> faiss.Index:
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if len(ids):
        index.add_with_ids(vectors, ids)
    return index


# Sentences read to estimate the covariance that whitening divides by: a sample is enough.
_WHITENING_SAMPLE = 20_000
# The eigenvalues are raised by this share of the largest before whitening, so that the
# directions a small corpus barely spans are not blown up.
_WHITENING_SHRINK = 0.1


class IndexReader(_Database):
    """A read-only view of one committed generation of the index.

    It holds a read transaction open, so it keeps answering from that generation while writers
    commit; `is_stale()` says when a newer one is published, and a new reader opens that.
    """

    def __init__(
        self,
        index_dir: Path,
        embedder_name: str,
        *,
        centering: bool = default("language_centering"),
        whitening: float = default("whitening"),
    ) -> None:
        self.index_dir = Path(index_dir)
        self.embedder_name = embedder_name
        self.centering = centering
        self.whitening = whitening
        self._centroids: dict[str, Centroids] = {}
        self._directions: dict[tuple[int, str | None], np.ndarray | None] = {}
        self._open()

    # Both are fixed for the generation this reader holds (its read transaction): read once,
    # not on every question.
    def centroids(self, kind: str) -> Centroids:
        if kind not in self._centroids:
            self._centroids[kind] = super().centroids(kind)
        return self._centroids[kind]

    def _whiten(self, vectors: np.ndarray) -> np.ndarray:
        """Sentence vectors whitened as `search_vectors` whitens the chunks."""
        return vectors if self._whitened is None else vectors @ self._whitened

    def whiten_query(self, query: np.ndarray) -> np.ndarray:
        return query if self._whitened is None else self._whitened @ query

    def document_direction(self, doc_row: int, lang: str | None = None) -> np.ndarray | None:
        key = (doc_row, lang)
        if key not in self._directions:
            self._directions[key] = super().document_direction(doc_row, lang)
        return self._directions[key]

    def _open(self) -> None:
        manifest = require_manifest(self.index_dir)
        check_embedder(manifest, self.embedder_name, self.index_dir)
        self.database = manifest["database"]
        self.dim = int(manifest["dim"])
        db_path = self.index_dir / self.database
        try:
            self.conn = _connect(db_path, read_only=True)
            self.conn.execute("BEGIN")
            self._generation = self.generation()
            # What the manifest said when this reader opened: it is stale once that changes.
            self._published = (manifest["database"], int(manifest.get("generation", 0)))
        except sqlite3.Error as exc:
            raise IndexCorruptError(f"cannot read {db_path}: {exc}; run `zharshy rebuild`") from exc
        self.vectors = self._load_vectors()
        chunks = _stored_vectors(self.vectors)
        self._covariance = _covariance(chunks, self.dim)
        self._whitened: np.ndarray | None = None
        if self.whitening > 0 and len(chunks) >= 2:
            whitened = self._whitening_matrix(chunks)
            if whitened is not None:
                self._covariance = whitened @ self._covariance @ whitened
                self._whitened = whitened.astype(np.float32)

    # Read on first use, not at open: a reader opens after every ingest, and only a question
    # compared with an announcement in another language needs the words.
    @functools.cached_property
    def lexicon(self) -> Lexicon:
        """The words of the announcements this generation holds, per language."""
        rows = self.conn.execute(
            "SELECT lang, term, vector FROM words WHERE row_id IN "
            "(SELECT word_row FROM document_words) ORDER BY lang, row_id"
        ).fetchall()
        by_lang: dict[str, tuple[list[str], list[bytes]]] = {}
        for row in rows:
            terms, blobs = by_lang.setdefault(row["lang"], ([], []))
            terms.append(row["term"])
            blobs.append(row["vector"])
        return Lexicon(
            {lang: (terms, _vectors(blobs, self.dim)) for lang, (terms, blobs) in by_lang.items()}
        )

    def _whitening_matrix(self, chunks: np.ndarray) -> np.ndarray | None:
        """M = (C + s·λmax·I)^(-2·whitening), scaled to a mean eigenvalue of 1, where C is the
        covariance of the centred chunk and sentence vectors: a passage scores q·Mp.

        e5's vectors crowd into a few directions that every text shares; partial whitening
        (Su et al., 2021, "Whitening Sentence Representations") turns those down a little, so
        the directions in which passages differ weigh more. M is symmetric, so searching with
        Mq is the same as scoring every passage as Mp. Sentences are sampled: enough for the
        covariance, and a new reader stays quick on a large index.
        """
        count = int(self.conn.execute("SELECT count(*) FROM sentences").fetchone()[0])
        step = max(1, math.ceil(count / _WHITENING_SAMPLE))
        rows = self.conn.execute(
            "SELECT s.vector, d.lang FROM sentences s JOIN documents d ON d.row_id = s.doc_row "
            "WHERE s.rowid % ? = 0",
            (step,),
        ).fetchall()
        sentences = self.centroids("sentence").center(
            _vectors((r["vector"] for r in rows), self.dim), [r["lang"] for r in rows]
        )
        eigenvalues, basis = np.linalg.eigh(
            np.cov(np.vstack([chunks, sentences]).astype(np.float64), rowvar=False)
        )
        if eigenvalues.max() <= 1e-12:  # every vector alike: no direction to turn down
            return None
        shrunk = np.maximum(eigenvalues, 0.0) + _WHITENING_SHRINK * eigenvalues.max()
        matrix: np.ndarray = (basis * shrunk ** (-2 * self.whitening)) @ basis.T
        return matrix / (np.trace(matrix) / self.dim)

    def _load_vectors(self) -> faiss.Index:
        cached = self.index_dir / _faiss_name(self.database, self._generation)
        if cached.exists() and self.centering:  # the cache holds centred vectors
            try:
                index = faiss.read_index(str(cached))
                if index.ntotal == self.chunk_count():
                    return index
            except RuntimeError:
                pass  # a damaged cache is rebuilt from the database below
        ids, vectors = self.centered_chunk_vectors()
        return _flat_index(self.dim, ids, vectors)

    def chunk_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def spread(self, query: np.ndarray) -> float:
        """The standard deviation of this query's scores over all passages.

        A score divided by it says how far a passage stands out for this question, which
        compares across questions where raw scores do not: some questions score high against
        everything.
        """
        return float(np.sqrt(max(float(query @ self._covariance @ query), 1e-12)))

    def is_stale(self) -> bool:
        """True once a writer has published a newer index than the one this reader holds."""
        manifest = read_manifest(self.index_dir)
        if manifest is None:
            return True
        return (manifest.get("database"), int(manifest.get("generation", 0))) != self._published

    def search_vectors(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(chunk row id, inner product) of the `k` nearest chunks, best first."""
        if self.vectors.ntotal == 0 or k <= 0:
            return []
        params = None
        if allowed_ids is not None:
            if len(allowed_ids) == 0:
                return []
            params = faiss.SearchParameters()
            params.sel = faiss.IDSelectorBatch(allowed_ids)
        k = min(k, self.vectors.ntotal)
        query = self.whiten_query(query)
        scores, ids = self.vectors.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()


def _stored_vectors(index: faiss.Index) -> np.ndarray:
    """The vectors a FAISS index holds, in the order they were added."""
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    flat = faiss.downcast_index(index.index)  # type: ignore[attr-defined]
    vectors: np.ndarray = flat.reconstruct_n(0, index.ntotal)
    return vectors


def _covariance(vectors: np.ndarray, dim: int) -> np.ndarray:
    if len(vectors) < 2:
        return np.eye(dim, dtype=np.float64) * 1e-4
    return np.cov(vectors.astype(np.float64), rowvar=False)


def _faiss_name(database: str, generation: int) -> str:
    return f"{Path(database).stem}.g{generation}.faiss"


@dataclass
class ChunkRecord:
    """A chunk ready to store: its place in the document, its vector and its lexical terms."""

    chunk: Chunk
    vector: np.ndarray
    terms: Terms = field(default_factory=lambda: Terms([], []))


@dataclass
class SentenceRecord:
    start: int
    end: int
    vector: np.ndarray
    # The sentence embedded as a question: what questions in its language look like to the
    # embedder (their centroid, `IndexReader.centroids("question")`).
    question_vector: np.ndarray
    # The sentence embedded with the one before and the one after it: "Занятия возобновятся
    # 25 марта" is about Nauryz only beside the sentence that names the holiday.
    context_vector: np.ndarray


class IndexWriter(_Database):
    """The single writer. Every `put`/`delete` commits on its own; `publish()` writes the FAISS
    cache and the manifest that readers go by. A second writer waits on the folder's lock."""

    def __init__(
        self,
        index_dir: Path,
        embedder_name: str,
        dim: int,
        *,
        fresh: bool = False,
        check: bool = True,
    ) -> None:
        """`fresh`: write a new database beside the live one, which keeps serving until
        `publish()` (a rebuild); it may replace an index of another embedder or format."""
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        # One writer per index folder: a second ingest or rebuild waits here instead of racing.
        self._lock_file = (self.index_dir / ".write.lock").open("a")
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        manifest = read_manifest(self.index_dir, any_format=fresh)
        if manifest is not None and check and not fresh:
            check_embedder(manifest, embedder_name, self.index_dir)
        if fresh:
            self.database = next_database_name(self.index_dir)
        else:
            self.database = (manifest or {}).get("database") or "zharshy-1.sqlite3"
        self.embedder_name = embedder_name
        self.dim = dim
        self.conn = _connect(self.index_dir / self.database, read_only=False)
        self.conn.executescript(_SCHEMA)
        # Describing the database is not a change of its content: no new generation.
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            self._set_meta("format", str(FORMAT_VERSION))
            self._set_meta("embedder", embedder_name)
            self._set_meta("dim", str(dim))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
            self._set_meta("updated_at", _now())
            self.conn.execute("COMMIT")

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def put(
        self,
        document: Document,
        content_hash: str,
        chunks: Sequence[ChunkRecord],
        sentences: Sequence[SentenceRecord],
        words: Sequence[WordRecord] = (),
    ) -> None:
        """Insert or replace one document with its chunks, sentences and words, atomically.
        A word the index does not hold yet comes with its vector (`unknown_words`)."""
        with self.transaction() as conn:
            self._forget(document.id)
            cursor = conn.execute(
                "INSERT INTO documents(id, title, text, url, date, lang, category, source, pages, "
                "content_hash, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id,
                    document.title,
                    document.text,
                    document.url,
                    document.date,
                    document.lang,
                    document.category,
                    document.source,
                    json.dumps([[p.number, p.start] for p in document.pages]),
                    content_hash,
                    _now(),
                ),
            )
            doc_row = cursor.lastrowid
            for record in chunks:
                chunk_row = conn.execute(
                    "INSERT INTO chunks(doc_row, ordinal, start, end, text, vector) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        doc_row,
                        record.chunk.ordinal,
                        record.chunk.start,
                        record.chunk.end,
                        record.chunk.text,
                        _blob(record.vector),
                    ),
                ).lastrowid
                conn.execute(
                    "INSERT INTO chunk_terms(rowid, native, shared) VALUES (?, ?, ?)",
                    (chunk_row, " ".join(record.terms.native), " ".join(record.terms.shared)),
                )
            conn.executemany(
                "INSERT INTO sentences(doc_row, start, end, vector, question_vector, "
                "context_vector) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc_row,
                        s.start,
                        s.end,
                        _blob(s.vector),
                        _blob(s.question_vector),
                        _blob(s.context_vector),
                    )
                    for s in sentences
                ],
            )
            self._put_words(doc_row, document.lang, words)
            self._add_to_sums("chunk", document.lang, [r.vector for r in chunks], +1)
            self._add_to_sums("sentence", document.lang, [s.vector for s in sentences], +1)
            self._add_to_sums("question", document.lang, [s.question_vector for s in sentences], +1)
            self._add_to_sums("context", document.lang, [s.context_vector for s in sentences], +1)

    def unknown_words(self, lang: str, terms: Iterable[str]) -> list[str]:
        """Those of `terms` that no announcement in `lang` has brought yet: to be embedded."""
        wanted = list(dict.fromkeys(terms))
        known: set[str] = set()
        for start in range(0, len(wanted), _SQL_VARIABLES):
            batch = wanted[start : start + _SQL_VARIABLES]
            marks = ", ".join("?" * len(batch))
            known.update(
                row[0]
                for row in self.conn.execute(
                    f"SELECT term FROM words WHERE lang = ? AND term IN ({marks})", (lang, *batch)
                )
            )
        return [term for term in wanted if term not in known]

    def _put_words(self, doc_row: int | None, lang: str, words: Sequence[WordRecord]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO words(lang, term, surface, vector) VALUES (?, ?, ?, ?)",
            [(lang, w.term, w.surface, _blob(w.vector)) for w in words if w.vector is not None],
        )
        linked = self.conn.executemany(
            "INSERT OR IGNORE INTO document_words(doc_row, word_row) "
            "SELECT ?, row_id FROM words WHERE lang = ? AND term = ?",
            [(doc_row, lang, w.term) for w in words],
        ).rowcount
        # A word that came without a vector and that the index does not hold links to nothing.
        if linked != len({w.term for w in words}):
            raise ValueError("a word came without a vector and the index does not hold it")

    def _forget(self, doc_id: str) -> int:
        """Delete a document inside the open transaction, taking it out of the centroids."""
        row = self.conn.execute(
            "SELECT row_id, lang FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return 0
        doc_row = (row["row_id"],)
        chunks = self.conn.execute(
            "SELECT vector FROM chunks WHERE doc_row = ?", doc_row
        ).fetchall()
        sentences = self.conn.execute(
            "SELECT vector, question_vector, context_vector FROM sentences WHERE doc_row = ?",
            doc_row,
        ).fetchall()
        for kind, blobs in (
            ("chunk", [r[0] for r in chunks]),
            ("sentence", [r[0] for r in sentences]),
            ("question", [r[1] for r in sentences]),
            ("context", [r[2] for r in sentences]),
        ):
            self._add_to_sums(kind, row["lang"], list(_vectors(blobs, self.dim)), -1)
        self.conn.execute(
            "DELETE FROM chunk_terms WHERE rowid IN (SELECT row_id FROM chunks WHERE doc_row = ?)",
            doc_row,
        )
        self.conn.execute("DELETE FROM documents WHERE row_id = ?", doc_row)
        return 1

    def _add_to_sums(self, kind: str, lang: str, vectors: Sequence[np.ndarray], sign: int) -> None:
        if not len(vectors):
            return
        row = self.conn.execute(
            "SELECT count, total FROM language_sums WHERE kind = ? AND lang = ?", (kind, lang)
        ).fetchone()
        count = row["count"] if row else 0
        total = (
            np.frombuffer(row["total"], dtype=np.float64).copy()
            if row
            else np.zeros(self.dim, dtype=np.float64)
        )
        total += sign * np.sum(np.asarray(vectors, dtype=np.float64), axis=0)
        count += sign * len(vectors)
        self.conn.execute(
            "INSERT INTO language_sums(kind, lang, count, total) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(kind, lang) DO UPDATE SET count = excluded.count, total = excluded.total",
            (kind, lang, count, total.tobytes()),
        )

    def delete(self, doc_ids: Iterable[str]) -> int:
        ids = list(doc_ids)
        if not ids:
            return 0
        with self.transaction():
            return sum(self._forget(doc_id) for doc_id in ids)

    def publish(self) -> None:
        """Write the FAISS cache for the committed generation, then point the manifest at it."""
        generation = self.generation()
        cache = self.index_dir / _faiss_name(self.database, generation)
        if not cache.exists():
            ids, vectors = self.centered_chunk_vectors()
            _write_atomically(
                cache, faiss.serialize_index(_flat_index(self.dim, ids, vectors)).tobytes()
            )
        manifest = {
            "format": FORMAT_VERSION,
            "database": self.database,
            "embedder": self.embedder_name,
            "dim": self.dim,
            "generation": generation,
            "documents": int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]),
            "chunks": int(self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]),
            "updated_at": self.meta("updated_at"),
        }
        _write_atomically(
            self.index_dir / MANIFEST,
            json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
        )
        self._remove_stale_files(cache.name)

    def _remove_stale_files(self, cache_name: str) -> None:
        """Old caches and replaced databases; open readers keep their file handles."""
        live = Path(self.database).stem
        for path in self.index_dir.iterdir():
            if path.suffix == ".faiss":
                stale = path.name != cache_name
            elif path.name.startswith("zharshy-") and ".sqlite3" in path.name:
                stale = path.name.split(".sqlite3")[0] != live
            else:
                stale = False
            if stale:
                with contextlib.suppress(OSError):
                    path.unlink()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stored_documents(index_dir: Path) -> list[Document]:
    """Every document of the live index, whatever embedder built it (for `rebuild`)."""
    db_path = index_dir / require_manifest(index_dir, any_format=True)["database"]
    try:
        conn = _connect(db_path, read_only=True)
        try:
            rows = conn.execute("SELECT * FROM documents ORDER BY row_id").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise IndexCorruptError(f"cannot read {db_path}: {exc}") from exc
    return [_document_from_row(row) for row in rows]


def next_database_name(index_dir: Path) -> str:
    """A fresh database file name for a rebuild, next to the live one."""
    manifest = read_manifest(index_dir, any_format=True) or {}
    current = str(manifest.get("database", "zharshy-0.sqlite3"))
    try:
        number = int(Path(current).stem.split("-")[1])
    except (IndexError, ValueError):
        number = 0
    return f"zharshy-{number + 1}.sqlite3"
