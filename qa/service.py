"""The one qa service every front door uses: `search` and `ask` over one index."""

from __future__ import annotations

import json
import math
import tempfile
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index.build import Embedding, IngestReport, ingest_documents, rebuild
from index.embedders import load_embedder
from index.embedders.base import Embedder
from index.errors import DocumentNotFoundError, InvalidQueryError
from index.lexical import Terms, distinctive_overlap, index_terms, query_terms
from index.store import (
    IndexReader,
    IndexStats,
    IndexWriter,
    StoredSentence,
    read_manifest,
    require_manifest,
)
from ingest.documents import Document, LoadProblem
from ingest.language import detect_language
from ingest.loaders import load_file
from qa.answer import AnswerKind, answer_kind, candidate_spans, extract_span
from qa.retrieve import Filters, Hit, RetrievalOptions, retrieve
from qa.schema import Answer, Source
from settings import Settings

MAX_QUESTION_CHARS = 2000
# How much holding the kind of span asked for counts beside a sentence's similarity (which
# spans about 0.1 between the sentences of one announcement). Chosen on the dev set among
# 0, 0.03 and 0.06; see docs/quality.md.
SPAN_BONUS = 0.06
LEXICAL_WEIGHT = 0.2
TOPIC_WEIGHT = 1.0
CALIBRATION_PATH = Path(__file__).with_name("calibration.json")


FEATURES = ("sentence", "document", "margin", "span", "lexical", "words")


@dataclass(frozen=True)
class Calibration:
    """A logistic map from the evidence behind an answer to the probability that it is right.

    Features: how far the best sentence, the best announcement and its lead over the next one
    stand out for this question; whether the span asked for (a date, a number) was found; the
    question's distinctive words in the sentence; the announcement's lexical match. The target
    is "the first source is the announcement that answers" (none does, for questions the
    corpus cannot answer). Fitted on the dev question set by
    `zharshy eval --calibrate`; the defaults are only a prior.
    """

    bias: float = -6.0
    weights: tuple[float, ...] = (0.5, 1.0, 1.0, 0.5, 1.0, 2.0)

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        if set(data.get("weights", {})) != set(FEATURES):
            warnings.warn(
                f"{path} was fitted on other evidence; using the default calibration until "
                "`zharshy eval corpus/questions.jsonl --calibrate` is run",
                stacklevel=2,
            )
            return cls()
        return cls(
            bias=float(data["bias"]),
            weights=tuple(float(data["weights"][name]) for name in FEATURES),
        )

    def confidence(self, features: dict[str, float]) -> float:
        z = self.bias + sum(
            w * features[name] for w, name in zip(self.weights, FEATURES, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))


@dataclass
class RebuildStatus:
    running: bool = False
    done: int = 0
    total: int = 0
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Evidence:
    """The best answering sentence found, and how strongly it matched."""

    hit: Hit
    sentence: StoredSentence
    sentence_score: float
    combined: float
    lexical: float


class QAService:
    def __init__(
        self,
        reader: IndexReader,
        embedder: Embedder,
        *,
        min_confidence: float = 0.5,
        calibration: Calibration | None = None,
        chunk_tokens: int = 200,
        max_file_bytes: int = 20 * 1024 * 1024,
        options: RetrievalOptions | None = None,
    ) -> None:
        self._reader = reader
        self.options = options or RetrievalOptions()
        self.index_dir = reader.index_dir
        self.embedding = Embedding(embedder, chunk_tokens)
        self.max_file_bytes = max_file_bytes
        self._rebuild = RebuildStatus()
        self._rebuild_lock = threading.Lock()
        self.embedder = embedder
        self.min_confidence = min_confidence
        self.calibration = calibration or Calibration.load()
        self._swap_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, create_index: bool = False) -> QAService:
        """The service over the configured index and embedder. With `create_index`, an empty
        index is made when there is none, so a fresh server can take its first announcements."""
        # Look for the index before loading the model, so a missing one fails fast.
        missing = read_manifest(settings.index_dir) is None
        if missing and not create_index:
            require_manifest(settings.index_dir)  # raises, saying how to build one
        embedder = load_embedder(settings.embedder)
        if missing:
            with IndexWriter(settings.index_dir, embedder.name, embedder.dim) as writer:
                writer.publish()
        return cls(
            IndexReader(settings.index_dir, embedder.name, centering=settings.language_centering),
            embedder,
            min_confidence=settings.min_confidence,
            chunk_tokens=settings.chunk_tokens,
            max_file_bytes=settings.max_file_bytes,
            options=RetrievalOptions(
                sentence_weight=settings.sentence_weight,
                own_language_weight=settings.lexical_own_language,
                shared_weight=settings.lexical_shared,
            ),
        )

    @property
    def reader(self) -> IndexReader:
        """The newest complete generation of the index.

        A request takes the reader once and uses it to the end, so it never mixes two
        generations; the reader it replaced closes when the last request using it is done.
        """
        with self._swap_lock:
            if self._reader.is_stale():
                self._reader = IndexReader(
                    self._reader.index_dir,
                    self._reader.embedder_name,
                    centering=self._reader.centering,
                )
            return self._reader

    # --- queries -------------------------------------------------------------------------

    def _query_vector(self, question: str) -> np.ndarray:
        question = question.strip()
        if not question:
            raise InvalidQueryError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidQueryError(
                f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
            )
        vector: np.ndarray = self.embedder.embed_queries([question])[0]
        return vector

    def search(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Source]:
        vector = self._query_vector(question)
        question_lang = detect_language(question)
        reader = self.reader
        hits = retrieve(
            reader,
            vector,
            query_terms(question, question_lang),
            question_lang,
            k,
            filters or Filters(),
            self.options,
        )
        return [self._source(reader, hit, hit.chunk.start, None, None) for hit in hits]

    def ask(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        *,
        min_confidence: float | None = None,
    ) -> Answer:
        threshold = self.min_confidence if min_confidence is None else min_confidence
        vector = self._query_vector(question)
        question_lang = detect_language(question)
        question_terms = query_terms(question, question_lang)
        reader = self.reader
        hits = retrieve(
            reader, vector, question_terms, question_lang, k, filters or Filters(), self.options
        )
        if not hits:
            return Answer(
                question,
                None,
                None,
                0.0,
                "extractive",
                question_lang,
                [],
                "No announcements match the question and filters.",
                dict.fromkeys(FEATURES, 0.0),
            )
        kind = answer_kind(question)
        terms = set(_all_terms(question_terms))
        # The first announcement answers; the others are listed as sources.
        evidence = self._best_sentence(hits[0], kind, terms, vector)
        document = evidence.hit.document.document
        sentence = document.text[evidence.sentence.start : evidence.sentence.end]
        span = extract_span(kind, sentence, terms, document.lang)
        spread = reader.spread(vector)
        scores = {
            # How far the sentence, the announcement and its lead over the next one stand out
            # from all passages for this question (in standard deviations).
            "sentence": round(evidence.sentence_score / spread, 4),
            "document": round(hits[0].score / spread, 4),
            "margin": round((hits[0].score - hits[1].score) / spread, 4) if len(hits) > 1 else 0.0,
            # 0 when the question asks for a date, number or name the sentence does not hold.
            "span": 1.0 if kind is AnswerKind.SENTENCE or span is not None else 0.0,
            # The question's distinctive words in the sentence, and how strongly the
            # announcement's words matched: a name shared across scripts ("Luban" and
            # "Лу Бань") is strong evidence where embeddings are weak.
            "lexical": round(evidence.lexical, 4),
            "words": round(evidence.hit.lexical_match, 4),
        }
        confidence = self.calibration.confidence(scores)
        answer_text: str | None = span.value if span else sentence
        notes = []
        if confidence < threshold:
            answer_text = None
            notes.append(
                "The announcements hold no confident answer to this question; "
                "the closest ones are listed as sources."
            )
        replaced = evidence.hit.supersedes
        if replaced is not None:
            notes.append(
                f"This announcement changes an earlier one: «{replaced.document.title}» "
                f"({replaced.document.date or 'undated'})."
            )
        message = " ".join(notes) or None
        sources = []
        for hit in hits:
            if hit is evidence.hit:
                sources.append(
                    self._source(
                        reader,
                        hit,
                        evidence.sentence.start,
                        evidence.sentence.end,
                        (span.start, span.end) if span else None,
                    )
                )
            else:
                sources.append(self._source(reader, hit, hit.chunk.start, None, None))
        return Answer(
            question=question,
            answer=answer_text,
            sentence=sentence,
            confidence=round(confidence, 4),
            mode="extractive",
            question_lang=question_lang,
            sources=sources,
            message=message,
            scores=scores,
        )

    def _best_sentence(
        self, hit: Hit, kind: AnswerKind, question_terms: set[str], vector: np.ndarray
    ) -> Evidence:
        """The sentence of the announcement most likely to answer.

        Similarity to the question, less the share of it that is just the announcement's topic,
        plus the question's distinctive words the sentence holds (index/lexical.py: the topic
        words every sentence shares count little), plus a preference for sentences holding
        what the question asks for: a date for "when", a number for "how many".
        """
        if not hit.sentences:  # an announcement too short to hold a sentence: its best chunk
            whole = StoredSentence(
                hit.document.row_id, hit.chunk.start, hit.chunk.end, np.zeros(0, dtype=np.float32)
            )
            return Evidence(hit, whole, hit.score, hit.score, 0.0)
        document = hit.document.document
        texts = [document.text[s.start : s.end] for s, _ in hit.sentences]
        lexical = distinctive_overlap(
            question_terms, [_all_terms(index_terms(text, document.lang)) for text in texts]
        )
        topical = _topic_pull(hit, vector)
        candidates = []
        for (sentence, similarity), text, shared, pull in zip(
            hit.sentences, texts, lexical, topical, strict=True
        ):
            has_span = kind is AnswerKind.SENTENCE or bool(candidate_spans(kind, text))
            combined = (
                similarity
                - TOPIC_WEIGHT * pull
                + LEXICAL_WEIGHT * shared
                + (SPAN_BONUS if has_span else 0.0)
            )
            candidates.append(Evidence(hit, sentence, similarity, combined, shared))
        # max() keeps the first of equals: the earlier sentence wins a tie.
        return max(candidates, key=lambda evidence: evidence.combined)

    def _source(
        self,
        reader: IndexReader,
        hit: Hit,
        sentence_start: int,
        sentence_end: int | None,
        span: tuple[int, int] | None,
    ) -> Source:
        document = hit.document.document
        # Show the passage around the sentence: the chunk that holds it.
        chunk = hit.chunk
        if sentence_end is not None and not (chunk.start <= sentence_start < chunk.end):
            chunk = reader.chunk_at(hit.document.row_id, sentence_start) or chunk
        text = document.text[chunk.start : chunk.end]
        highlight: list[list[int]] = []
        if sentence_end is not None:
            s0 = max(sentence_start - chunk.start, 0)
            s1 = min(sentence_end - chunk.start, len(text))
            highlight.append([s0, s1])
            if span is not None:
                highlight.append([s0 + span[0], s0 + span[1]])
        return Source(
            doc_id=document.id,
            chunk_id=chunk.row_id,
            title=document.title,
            url=document.url,
            date=document.date,
            lang=document.lang,
            category=document.category,
            path=document.source,
            page=document.page_at(chunk.start),
            text=text,
            score=round(hit.score, 4),
            highlight=highlight,
            supersedes=(
                {
                    "doc_id": hit.supersedes.document.id,
                    "title": hit.supersedes.document.title,
                    "date": hit.supersedes.document.date,
                }
                if hit.supersedes
                else None
            ),
            versions=[
                {
                    "doc_id": v.document.id,
                    "lang": v.document.lang,
                    "title": v.document.title,
                    "url": v.document.url,
                }
                for v in hit.versions
            ],
        )

    # --- changes -------------------------------------------------------------------------

    def add_documents(self, documents: Sequence[Document]) -> IngestReport:
        """Index announcements (the portal's POST); searchable when this returns."""
        with IndexWriter(self.index_dir, self.embedder.name, self.embedder.dim) as writer:
            return ingest_documents(writer, self.embedding, documents)

    def add_files(self, files: Sequence[tuple[str, bytes]]) -> IngestReport:
        """Index uploaded files, each given as (file name, content); a file that cannot be read
        is reported by name and the others are indexed."""
        documents: list[Document] = []
        problems: list[LoadProblem] = []
        with tempfile.TemporaryDirectory(prefix="zharshy-upload-") as folder:
            for name, content in files:
                safe_name = Path(name).name or "upload"
                path = Path(folder) / safe_name
                path.write_bytes(content)
                loaded, failed = load_file(path, safe_name, max_bytes=self.max_file_bytes)
                documents.extend(replace(d, source=f"upload:{safe_name}") for d in loaded)
                problems.extend(
                    LoadProblem(p.path.replace(str(path), safe_name), p.reason) for p in failed
                )
        report = self.add_documents(documents) if documents else IngestReport()
        report.errors = problems + report.errors
        return report

    def delete_document(self, doc_id: str) -> None:
        with IndexWriter(self.index_dir, self.embedder.name, self.embedder.dim) as writer:
            if not writer.delete([doc_id]):
                raise DocumentNotFoundError(f"no announcement with id {doc_id!r} is indexed")
            writer.publish()

    def start_rebuild(self) -> bool:
        """Re-embed everything in the background; False if a rebuild is already running.
        Questions keep being answered from the current index until the new one is complete."""
        with self._rebuild_lock:
            if self._rebuild.running:
                return False
            self._rebuild = RebuildStatus(running=True, started_at=_now())
        threading.Thread(target=self._run_rebuild, name="zharshy-rebuild", daemon=True).start()
        return True

    def _run_rebuild(self) -> None:
        status = self._rebuild

        def set_total(total: int) -> None:
            status.total = total

        def step(_doc_id: str) -> None:
            status.done += 1

        try:
            rebuild(self.index_dir, self.embedding, on_document=step, on_total=set_total)
        except Exception as exc:  # reported through the status, never lost in a thread
            status.error = f"{type(exc).__name__}: {exc}"
        finally:
            status.running = False
            status.finished_at = _now()

    @property
    def rebuild_status(self) -> RebuildStatus:
        return self._rebuild

    def status(self) -> IndexStats:
        return self.reader.stats()


def _all_terms(terms: Terms) -> list[str]:
    return terms.native + terms.shared


def _topic_pull(hit: Hit, vector: np.ndarray) -> np.ndarray:
    """How much of each sentence's similarity to the question is the announcement's topic.

    A lead sentence restates what the whole announcement is about, so it matches every
    question about it; the fact asked for sits in a sentence of its own. Projecting each
    sentence on the announcement's mean direction, times the question's own pull toward that
    direction, measures the topic's share, which the sentence choice discounts.
    """
    if not hit.sentences:
        return np.zeros(0)
    vectors = np.vstack([sentence.vector for sentence, _ in hit.sentences])
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9:
        return np.zeros(len(vectors))
    direction = mean / norm
    return (vectors @ direction) * float(vector @ direction)
