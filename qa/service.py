"""The one qa service every front door uses: `search` and `ask` over one index."""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from index.build import Embedding, IngestReport, ingest_documents, rebuild
from index.embedders import load_embedder
from index.embedders.base import Embedder
from index.errors import DocumentNotFoundError, InvalidQueryError
from index.lexical import Terms, query_terms
from index.lexicon import QuestionWords
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
from qa.answer import (
    AnswerKind,
    Wanted,
    extract_span,
    publication_day,
    read_question,
)
from qa.calibration import FEATURES, Calibration, find_calibration
from qa.rerankers import Reranker, load_reranker
from qa.retrieve import Filters, Hit, RetrievalOptions, retrieve
from qa.schema import Answer, Source
from qa.sentences import SentenceCandidates, all_terms, describe_sentences
from qa.timeframe import TimeFrame, time_frame
from settings import Settings, default

MAX_QUESTION_CHARS = 2000
# Question words embedded alone (index/lexicon.py) kept in memory: the same words come back
# question after question. About 1.5 KB each.
_WORD_CACHE = 50_000


@dataclass(frozen=True)
class _Retrieval:
    """A question's announcements, and what was made of the question to find them."""

    question_lang: str
    vector: np.ndarray
    terms: Terms
    timeframe: TimeFrame
    reader: IndexReader
    hits: list[Hit]
    wanted: Wanted
    words: QuestionWords
    # The question as the stored sentence context vectors meet it (`IndexReader.whiten_query`).
    whitened_vector: np.ndarray

    def counted_in(self, lang: str) -> frozenset[str]:
        """The terms of what a "how many" question counts, in an announcement's language
        ("проектов" is "жоба" in a Kazakh one)."""
        counted = self.wanted.counted
        return self.words.words_into(counted, lang) if counted else frozenset()


@dataclass
class RebuildStatus:
    running: bool = False
    done: int = 0
    total: int = 0
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None


# The announcements after the first whose best sentences the answer is measured against.
_RIVALS = 4


def _describe(hit: Hit, found: _Retrieval) -> SentenceCandidates:
    return describe_sentences(
        hit,
        found.wanted,
        found.terms,
        found.question_lang,
        found.vector,
        found.words.into(hit.document.document.lang),
        found.whitened_vector,
        found.counted_in(hit.document.document.lang),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Evidence:
    """The best answering sentence found, and how strongly it matched."""

    hit: Hit
    sentence: StoredSentence
    sentence_score: float
    lexical: float
    # The sentence's share of the choice among the announcement's sentences (softmax).
    share: float
    # Whether it holds what the question asks for: a date for "when", a number with the unit
    # asked for "how many employers" (always, for a question answered by a whole sentence).
    holds_answer: bool = True


class QAService:
    def __init__(
        self,
        reader: IndexReader,
        embedder: Embedder,
        *,
        min_confidence: float = default("min_confidence"),
        calibration: Calibration | None = None,
        chunk_tokens: int = default("chunk_tokens"),
        max_file_bytes: int = int(default("max_file_mb") * 1024 * 1024),
        options: RetrievalOptions | None = None,
        reranker: Reranker | None = None,
        word_translation_floor: float = default("word_translation_floor"),
    ) -> None:
        self._reader = reader
        self.options = options or RetrievalOptions()
        self.reranker = reranker
        self.index_dir = reader.index_dir
        self.embedding = Embedding(embedder, chunk_tokens)
        self.max_file_bytes = max_file_bytes
        self._rebuild = RebuildStatus()
        self._rebuild_lock = threading.Lock()
        self.embedder = embedder
        if calibration is None:
            calibration, _ = find_calibration(reader.index_dir, embedder.name)
        self.calibration = calibration
        self.min_confidence = min_confidence
        self.word_translation_floor = word_translation_floor
        # Least recently used first; shared by the request threads, so touched under a lock.
        self._word_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._word_lock = threading.Lock()
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
        reranker = load_reranker(settings.reranker) if settings.reranker else None
        if missing:
            with IndexWriter(settings.index_dir, embedder.name, embedder.dim) as writer:
                writer.publish()
        return cls(
            IndexReader(
                settings.index_dir,
                embedder.name,
                centering=settings.language_centering,
                whitening=settings.whitening,
            ),
            embedder,
            min_confidence=settings.min_confidence,
            chunk_tokens=settings.chunk_tokens,
            max_file_bytes=settings.max_file_bytes,
            options=RetrievalOptions(
                sentence_weight=settings.sentence_weight,
                question_centering=settings.question_centering,
                date_weight=settings.date_weight,
                own_language_weight=settings.lexical_own_language,
                shared_weight=settings.lexical_shared,
                cross_script_weight=settings.lexical_cross_script,
                reranker_weight=settings.reranker_weight,
                reranker_depth=settings.reranker_depth,
            ),
            reranker=reranker,
            word_translation_floor=settings.word_translation_floor,
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
                    whitening=self._reader.whitening,
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

    def _embed_words(self, words: list[str]) -> np.ndarray:
        """The words embedded alone, as questions; the most recently used stay cached."""
        cache, wanted = self._word_vectors, list(dict.fromkeys(words))
        with self._word_lock:
            found = {word: cache[word] for word in wanted if word in cache}
            for word in found:
                cache.move_to_end(word)
        new = [word for word in wanted if word not in found]
        if new:
            # Embedded outside the lock: another request's words need not wait for these.
            found.update(zip(new, self.embedder.embed_queries(new), strict=True))
            with self._word_lock:
                cache.update((word, found[word]) for word in new)
                while len(cache) > _WORD_CACHE:
                    cache.popitem(last=False)
        return np.vstack([found[word] for word in words])

    def search(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        *,
        today: date | None = None,
    ) -> list[Source]:
        found = self._retrieve(question, k, filters, today)
        return [self._source(found.reader, hit, hit.chunk.start, None, None) for hit in found.hits]

    def ask(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        *,
        min_confidence: float | None = None,
        today: date | None = None,
    ) -> Answer:
        """Answer from the first announcement found; `today` (default: the real one) is what
        "last year" in the question is counted from."""
        threshold = self.min_confidence if min_confidence is None else min_confidence
        # The rivals are looked at whatever `k` is, so the confidence does not depend on it.
        found = self._retrieve(question, max(k, 1 + _RIVALS), filters, today)
        question_lang, reader, hits = found.question_lang, found.reader, found.hits
        kind = found.wanted.kind
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
        # The first announcement answers; the others are listed as sources.
        evidence = self._best_sentence(hits[0], found)
        changed_by = None
        original = self._original_answering(evidence, found)
        if original is not None:
            changed_by = evidence.hit.document.document
            evidence = original
            hits = [original.hit, *(hit for hit in hits if hit is not original.hit)]
        document = evidence.hit.document.document
        sentence = document.text[evidence.sentence.start : evidence.sentence.end]
        span = extract_span(
            sentence,
            found.wanted,
            set(all_terms(found.terms)) | found.words.into(document.lang),
            document.lang,
            publication_day(document.date),
            found.counted_in(document.lang),
        )
        spread = reader.spread(found.vector)
        # The calibration was fitted without a reranker: its evidence leaves the reranker's
        # gain out, so a configured reranker changes which announcement answers, not the scale
        # of the confidence.
        first = hits[0].retrieval_score
        margin = first - hits[1].retrieval_score if len(hits) > 1 else 0.0
        rival = max(
            (
                self._best_sentence(hit, found).sentence_score
                for hit in hits[1 : 1 + _RIVALS]
                if hit.sentences
            ),
            default=0.0,
        )
        scores = {
            # How far the sentence, the announcement and its lead over the next one stand out
            # from all passages for this question (in standard deviations).
            "sentence": round(evidence.sentence_score / spread, 4),
            "document": round(first / spread, 4),
            "margin": round(margin / spread, 4),
            # How far the sentence stands above the one the same choice would cite in each of
            # the next announcements: a question nothing answers finds many half-alike.
            "rival_margin": round((evidence.sentence_score - rival) / spread, 4),
            # 0 when the question asks for a date, number or name the sentence does not hold.
            "span": 1.0 if kind is AnswerKind.SENTENCE or span is not None else 0.0,
            # The question's distinctive words in the sentence, and how strongly the
            # announcement's words matched: a name shared across scripts ("Luban" and
            # "Лу Бань") is strong evidence where embeddings are weak.
            "lexical": round(evidence.lexical, 4),
            "words": round(evidence.hit.lexical_match, 4),
            # How clearly the sentence stands out among the announcement's sentences.
            "choice": round(evidence.share, 4),
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
        if found.timeframe.year is not None:
            notes.append(f"«{found.timeframe.cue}» is read as {found.timeframe.year}.")
        replaced = evidence.hit.supersedes
        if replaced is not None:
            notes.append(
                f"This announcement changes an earlier one: «{replaced.document.title}» "
                f"({replaced.document.date or 'undated'})."
            )
        earlier = evidence.hit.newer_than
        if earlier is not None:
            notes.append(
                f"Asked for the latest: this announcement is newer than "
                f"«{earlier.document.title}» ({earlier.document.date or 'undated'})."
            )
        if changed_by is not None:
            notes.append(
                f"A later announcement changes this one: «{changed_by.title}» "
                f"({changed_by.date or 'undated'}); it does not restate what was asked."
            )
        message = " ".join(notes) or None
        sources = []
        for hit in hits[:k]:
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

    def _retrieve(
        self, question: str, k: int, filters: Filters | None, today: date | None
    ) -> _Retrieval:
        vector = self._query_vector(question)
        question_lang = detect_language(question)
        question_terms = query_terms(question, question_lang)
        frame = time_frame(question, today or date.today())
        if frame.year is not None:  # "в прошлом году": the year's number counts too
            question_terms = Terms(
                question_terms.native,
                [*question_terms.shared, str(frame.year)],
                question_terms.spellings,
            )
        reader = self.reader
        hits = retrieve(
            reader,
            vector,
            question_terms,
            question_lang,
            k,
            filters or Filters(),
            self.options,
            frame,
            reranker=self.reranker,
            question=question,
        )
        wanted = read_question(question, question_lang)
        words = QuestionWords(
            question,
            question_lang,
            lambda: reader.lexicon,
            self._embed_words,
            self.word_translation_floor,
        )
        return _Retrieval(
            question_lang,
            vector,
            question_terms,
            frame,
            reader,
            hits,
            wanted,
            words,
            reader.whiten_query(vector),
        )

    def sentence_candidates(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        *,
        today: date | None = None,
    ) -> SentenceCandidates | None:
        """The first announcement's sentences as `ask` weighs them (for fitting the choice)."""
        found = self._retrieve(question, k, filters, today)
        if not found.hits or not found.hits[0].sentences:
            return None
        return _describe(found.hits[0], found)

    def _original_answering(self, newer: Evidence, found: _Retrieval) -> Evidence | None:
        """When the first announcement changes an earlier one that is also among the hits
        (a moved deadline) but holds nothing of what the question asks for, while the earlier
        one does, the earlier one answers: a later notice replaces only what it restates (the
        date), not the facts it leaves out (the amount, the number of places)."""
        replaced = newer.hit.supersedes
        if replaced is None or newer.holds_answer:
            return None
        for hit in found.hits[1:]:
            if hit.document.row_id == replaced.row_id:
                earlier = self._best_sentence(hit, found)
                return earlier if earlier.holds_answer else None
        return None

    def _best_sentence(self, hit: Hit, found: _Retrieval) -> Evidence:
        """The sentence of the announcement most likely to answer (qa/sentences.py says how
        each is measured; the calibration weighs the measurements)."""
        if not hit.sentences:  # an announcement too short to hold a sentence: its best chunk
            whole = StoredSentence(
                hit.document.row_id, hit.chunk.start, hit.chunk.end, np.zeros(0, dtype=np.float32)
            )
            return Evidence(hit, whole, hit.retrieval_score, 0.0, 1.0)
        candidates = _describe(hit, found)
        best, share = self.calibration.sentence_choice(candidates.features)
        return Evidence(
            hit,
            candidates.sentences[best],
            candidates.feature(best, "similarity"),
            candidates.feature(best, "focus_words"),
            share,
            holds_answer=bool(candidates.feature(best, "holds_span"))
            and (not found.wanted.asks_unit or bool(candidates.feature(best, "asked_unit"))),
        )

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

    @property
    def calibrated(self) -> bool:
        """Whether answers are weighed by a calibration fitted for this embedder, rather than by
        the uncalibrated prior."""
        return self.calibration.embedder == self.embedder.name
