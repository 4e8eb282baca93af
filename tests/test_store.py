"""The on-disk index: round trips, atomic writes, snapshots, and the embedder check."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from index.errors import EmbedderMismatchError, IndexMissingError
from index.store import ChunkRecord, IndexReader, IndexWriter, SentenceRecord, read_manifest
from ingest.documents import Chunk, Document
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent


def _put(writer: IndexWriter, embedder: FakeEmbedder, doc_id: str, text: str) -> None:
    document = Document(id=doc_id, title=doc_id, text=text, lang="en", date="2025-01-01")
    chunk = Chunk(doc_id, 0, 0, len(text), text)
    vector = embedder.embed_passages([text])[0]
    writer.put(
        document,
        document.content_hash(),
        [ChunkRecord(chunk, vector)],
        # A sentence alone is also its own neighbourhood.
        [SentenceRecord(0, len(text), vector, embedder.embed_queries([text])[0], vector)],
    )


def _doc_ids(reader: IndexReader, embedder: FakeEmbedder, query: str) -> list[str]:
    hits = reader.search_vectors(embedder.embed_queries([query])[0], 10)
    chunks = reader.chunks([chunk_id for chunk_id, _ in hits])
    documents = reader.documents([c.doc_row for c in chunks.values()])
    return [documents[chunks[chunk_id].doc_row].document.id for chunk_id, _ in hits]


def test_round_trip_and_nearest_chunk(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "library", "The library opens at nine on weekdays.")
        _put(writer, fake_embedder, "grants", "Grant applications close on 20 September.")
        writer.publish()
    reader = IndexReader(tmp_path, fake_embedder.name)
    assert _doc_ids(reader, fake_embedder, "when do grant applications close")[0] == "grants"
    stats = reader.stats()
    assert (stats.documents, stats.chunks, stats.sentences) == (2, 2, 2)
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert manifest["embedder"] == fake_embedder.name and manifest["dim"] == fake_embedder.dim


def test_replacing_a_document_replaces_its_chunks(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "a", "first version about dormitories")
        _put(writer, fake_embedder, "a", "second version about scholarships")
        writer.publish()
    reader = IndexReader(tmp_path, fake_embedder.name)
    assert reader.stats().chunks == 1
    stored = reader.document_by_id("a")
    assert stored is not None and "scholarships" in stored.document.text


@pytest.mark.parametrize("kind", ["question", "context"])
def test_the_mean_question_and_sentence_context_follow_replaced_and_deleted_announcements(
    tmp_path: Path, fake_embedder: FakeEmbedder, kind: str
) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "grants", "Grant applications close on 20 September.")
        _put(writer, fake_embedder, "food", "The library opens at nine.")
        _put(writer, fake_embedder, "food", "The canteen serves lunch.")
        writer.delete(["grants"])
        writer.publish()
    mean = IndexReader(tmp_path, fake_embedder.name).centroids(kind).of("en")
    embed = fake_embedder.embed_queries if kind == "question" else fake_embedder.embed_passages
    only_sentence_left = embed(["The canteen serves lunch."])[0]
    assert mean == pytest.approx(only_sentence_left, abs=1e-6)


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="zharshy ingest"):
        IndexReader(tmp_path / "nothing", "fake-words")


def test_other_embedder_is_refused_with_rebuild_hint(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "a", "text")
        writer.publish()
    with pytest.raises(EmbedderMismatchError, match="zharshy rebuild"):
        IndexReader(tmp_path, "e5-small-q4")
    with pytest.raises(EmbedderMismatchError, match="zharshy rebuild"):
        IndexWriter(tmp_path, "e5-small-q4", 384)


def test_failed_write_leaves_previous_state(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "kept", "the canteen opens at eight")
        writer.publish()
        document = Document(id="kept", title="kept", text="replacement", lang="en")
        bad = ChunkRecord(Chunk("kept", 0, 0, 11, "replacement"), np.zeros(3, np.float32))
        with pytest.raises(TypeError):
            # A vector that is not an array of floats fails halfway through the transaction.
            writer.put(
                document,
                "hash",
                [bad, ChunkRecord(bad.chunk, object())],  # type: ignore[arg-type]
                [],
            )
    reader = IndexReader(tmp_path, fake_embedder.name)
    stored = reader.document_by_id("kept")
    assert stored is not None and stored.document.text == "the canteen opens at eight"
    assert _doc_ids(reader, fake_embedder, "canteen") == ["kept"]


def test_crash_mid_ingest_keeps_previous_state(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "kept", "the canteen opens at eight")
        writer.publish()
    # A real process dies (no clean-up, no rollback) in the middle of writing a document.
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from index.store import IndexWriter
        from tests.fakes import FakeEmbedder
        from tests.test_store import _put
        embedder = FakeEmbedder()
        writer = IndexWriter({str(tmp_path)!r}, embedder.name, embedder.dim)
        _put(writer, embedder, "second", "exam timetable published")
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM documents")
        os._exit(9)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert result.returncode == 9, result.stderr.decode()
    reader = IndexReader(tmp_path, fake_embedder.name)
    # The committed document survived; the uncommitted delete did not happen; the document
    # committed after the last publish is searchable although its FAISS cache was never written.
    assert sorted(_doc_ids(reader, fake_embedder, "canteen exam timetable")) == ["kept", "second"]


def test_reader_keeps_its_generation_until_replaced(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "old", "sports day in May")
        writer.publish()
    reader = IndexReader(tmp_path, fake_embedder.name)
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "new", "hackathon in June")
        writer.delete(["old"])
        writer.publish()
    assert reader.stats().documents == 1
    assert _doc_ids(reader, fake_embedder, "sports day") == ["old"]  # still the old snapshot
    assert reader.is_stale() is True
    newest = IndexReader(tmp_path, fake_embedder.name)
    assert _doc_ids(newest, fake_embedder, "hackathon") == ["new"]
    assert newest.is_stale() is False


def test_filters_select_chunks_by_metadata(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        for doc_id, lang, date in [("ru1", "ru", "2024-05-01"), ("kk1", "kk", "2025-05-01")]:
            document = Document(
                id=doc_id, title=doc_id, text="грант", lang=lang, date=date, category="scholarships"
            )
            vector = fake_embedder.embed_passages(["грант"])[0]
            writer.put(
                document,
                document.content_hash(),
                [ChunkRecord(Chunk(doc_id, 0, 0, 5, "грант"), vector)],
                [],
            )
        writer.publish()
    reader = IndexReader(tmp_path, fake_embedder.name)
    query = fake_embedder.embed_queries(["грант"])[0]

    def found(**filters: str | None) -> list[int]:
        allowed = reader.filtered_chunk_ids(
            filters.get("lang"), filters.get("since"), filters.get("until"), filters.get("category")
        )
        return [chunk_id for chunk_id, _ in reader.search_vectors(query, 5, allowed)]

    assert len(found(lang="kk")) == 1
    assert len(found(since="2025-01-01")) == 1
    assert len(found(until="2024-12-31", lang="kk")) == 0
    assert len(found(category="scholarships")) == 2


def test_a_writer_that_changes_nothing_leaves_readers_current(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        _put(writer, fake_embedder, "a", "library hours")
        writer.publish()
    reader = IndexReader(tmp_path, fake_embedder.name)
    with IndexWriter(tmp_path, fake_embedder.name, fake_embedder.dim) as writer:
        writer.hashes()  # an ingest that finds nothing new
    # Otherwise every request would reopen the index.
    assert reader.is_stale() is False


def test_whitening_turns_down_the_direction_that_varies_most_across_the_corpus(
    tmp_path: Path,
) -> None:
    # Two announcements lie far out, either way, along the first axis and two a little way
    # along the second; the question leans on both. As the vectors are, the far one wins on
    # the axis everything varies along; whitened, the one that matches where passages rarely
    # differ does.
    axes = np.eye(8, dtype=np.float32)
    vectors = {
        "far": 3 * axes[0],
        "far-other": -3 * axes[0],
        "near": axes[1],
        "near-other": -axes[1],
    }
    with IndexWriter(tmp_path, "axes", 8) as writer:
        for doc_id, vector in vectors.items():
            document = Document(id=doc_id, title="", text=doc_id, lang="en")
            chunk = Chunk(doc_id, 0, 0, len(doc_id), doc_id)
            writer.put(document, document.content_hash(), [ChunkRecord(chunk, vector)], [])
        writer.publish()
    question = 0.5 * axes[0] + axes[1]

    def first(whitening: float) -> str:
        reader = IndexReader(tmp_path, "axes", whitening=whitening)
        chunk_id, _ = reader.search_vectors(question, 1)[0]
        row = reader.chunks([chunk_id])[chunk_id].doc_row
        return reader.documents([row])[row].document.id

    assert first(0.0) == "far"
    assert first(0.25) == "near"
