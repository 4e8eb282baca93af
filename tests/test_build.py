"""The build pipeline: incremental by content hash, pruning, and bad input that loses nothing."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from index import build
from index.build import Embedding, IngestReport, ingest_documents, ingest_paths, rebuild
from index.errors import IndexCorruptError
from index.store import FORMAT_VERSION, IndexReader, IndexWriter, read_manifest
from ingest.documents import Document
from tests.fakes import FakeEmbedder
from tests.samples import write_bad_inputs

MAX_BYTES = 20 * 1024 * 1024


def _ingest(
    index_dir: Path, embedder: FakeEmbedder, *paths: Path, prune: bool = False
) -> IngestReport:
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:
        return ingest_paths(
            writer, Embedding(embedder, 64), list(paths), max_bytes=MAX_BYTES, prune=prune
        )


def _ids(index_dir: Path, embedder: FakeEmbedder) -> set[str]:
    reader = IndexReader(index_dir, embedder.name)
    return {d.document.id for d in reader.documents().values()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "announcements"
    (root / "2025").mkdir(parents=True)
    (root / "2025" / "dorm.md").write_text(
        "---\ntitle: Общежитие\ndate: 2025-09-01\nlang: ru\n---\n"
        "Приём заявлений на общежитие открыт до 10 сентября.\n",
        encoding="utf-8",
    )
    (root / "2025" / "library.txt").write_text(
        "Library hours\nThe library is open from 9:00 to 20:00 on weekdays.\n", encoding="utf-8"
    )
    (root / "grant.md").write_text(
        "# Грант\nГранттық конкурсқа өтінімдер 15 шілдеге дейін қабылданады.\n", encoding="utf-8"
    )
    return root


def test_each_sentence_is_also_embedded_beside_its_neighbours() -> None:
    embedder = FakeEmbedder()
    text = "Nauryz holidays are from 21 to 24 March. Classes resume on 25 March. Lunch is free."
    document = Document(id="nauryz", title="Nauryz", text=text, lang="en")
    _, sentences = Embedding(embedder, 64).records(document)
    texts = [text[s.start : s.end] for s in sentences]
    assert len(texts) == 3
    windows = [" ".join(texts[:2]), " ".join(texts), " ".join(texts[1:])]
    for sentence, window in zip(sentences, windows, strict=True):
        assert sentence.context_vector == pytest.approx(embedder.embed_passages([window])[0])


def test_second_ingest_of_unchanged_files_embeds_nothing(tmp_path: Path, folder: Path) -> None:
    embedder = FakeEmbedder()
    first = _ingest(tmp_path / "index", embedder, folder)
    assert (first.documents_added, first.errors) == (3, [])
    assert first.chunks_embedded >= 3
    embedded = embedder.passages_embedded
    second = _ingest(tmp_path / "index", embedder, folder)
    assert second.documents_unchanged == 3
    assert second.chunks_embedded == 0 and embedder.passages_embedded == embedded
    assert _ids(tmp_path / "index", embedder) == {"2025/dorm.md", "2025/library.txt", "grant.md"}


def test_a_new_way_of_cutting_text_re_embeds_every_announcement(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = FakeEmbedder()
    _ingest(tmp_path / "index", embedder, folder)
    monkeypatch.setattr(build, "SEGMENTATION_VERSION", build.SEGMENTATION_VERSION + 1)
    recut = _ingest(tmp_path / "index", embedder, folder)
    assert (recut.documents_updated, recut.documents_unchanged) == (3, 0)
    again = _ingest(tmp_path / "index", embedder, folder)
    assert (again.documents_unchanged, again.chunks_embedded) == (3, 0)


def test_changed_file_replaces_its_chunks(tmp_path: Path, folder: Path) -> None:
    embedder = FakeEmbedder()
    _ingest(tmp_path / "index", embedder, folder)
    (folder / "grant.md").write_text(
        "# Грант\nӨтінімдер 20 шілдеге дейін қабылданады.\n", encoding="utf-8"
    )
    report = _ingest(tmp_path / "index", embedder, folder)
    assert (report.documents_updated, report.documents_unchanged) == (1, 2)
    reader = IndexReader(tmp_path / "index", embedder.name)
    stored = reader.document_by_id("grant.md")
    assert stored is not None and "20 шілдеге" in stored.document.text
    texts = [c.text for c in reader.chunks(list(range(1, 100))).values()]
    assert not any("15 шілдеге" in text for text in texts)


def test_prune_removes_documents_whose_files_are_gone(tmp_path: Path, folder: Path) -> None:
    embedder = FakeEmbedder()
    _ingest(tmp_path / "index", embedder, folder)
    (folder / "2025" / "library.txt").unlink()
    kept = _ingest(tmp_path / "index", embedder, folder)
    assert kept.documents_removed == 0
    assert "2025/library.txt" in _ids(tmp_path / "index", embedder)
    pruned = _ingest(tmp_path / "index", embedder, folder, prune=True)
    assert pruned.documents_removed == 1
    assert _ids(tmp_path / "index", embedder) == {"2025/dorm.md", "grant.md"}


def test_bad_input_is_reported_and_nothing_indexed_is_lost(tmp_path: Path, folder: Path) -> None:
    embedder = FakeEmbedder()
    _ingest(tmp_path / "index", embedder, folder)
    expected = write_bad_inputs(folder / "incoming")
    report = _ingest(tmp_path / "index", embedder, folder, prune=True)
    reasons = {Path(p.path).name: p.reason for p in report.errors}
    for name, words in expected.items():
        assert name in reasons, f"{name} not reported; got {reasons}"
        assert words in reasons[name], (name, reasons[name])
    ids = _ids(tmp_path / "index", embedder)
    # The good lines and files are indexed, and so is everything indexed before.
    assert {"bulk-good", "bulk-later", "incoming/legacy.txt", "2025/dorm.md", "grant.md"} <= ids
    reader = IndexReader(tmp_path / "index", embedder.name)
    legacy = reader.document_by_id("incoming/legacy.txt")
    assert legacy is not None and "Экзамены начнутся 10 июня" in legacy.document.text


def test_a_file_that_turns_bad_keeps_its_indexed_version(tmp_path: Path, folder: Path) -> None:
    embedder = FakeEmbedder()
    _ingest(tmp_path / "index", embedder, folder)
    (folder / "grant.md").write_bytes(b"")
    report = _ingest(tmp_path / "index", embedder, folder, prune=True)
    assert [Path(p.path).name for p in report.errors] == ["grant.md"]
    assert "grant.md" in _ids(tmp_path / "index", embedder)


def test_posted_documents_and_rebuild_with_another_embedder(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    index_dir = tmp_path / "index"
    documents = [
        Document(
            id=f"n{i}", title=f"News {i}", text=f"Announcement number {i}.", lang="en", source="api"
        )
        for i in range(3)
    ]
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:
        report = ingest_documents(writer, Embedding(embedder, 64), documents)
    assert report.documents_added == 3
    other = FakeEmbedder(dim=32, name="fake-words-32")
    rebuilt = rebuild(index_dir, Embedding(other, 64))
    assert rebuilt.documents_added == 3
    manifest = read_manifest(index_dir)
    assert manifest is not None and (manifest["embedder"], manifest["dim"]) == ("fake-words-32", 32)
    assert _ids(index_dir, other) == {"n0", "n1", "n2"}
    # The replaced database is gone; only the live one (with its FAISS cache) remains.
    names = {p.name.split(".")[0] for p in index_dir.iterdir() if not p.name.startswith(".")}
    assert names == {"manifest", manifest["database"].split(".")[0]}


@pytest.fixture
def indexed(tmp_path: Path, folder: Path) -> Path:
    """An index of the three announcements in `folder`, written with FakeEmbedder()."""
    index_dir = tmp_path / "index"
    _ingest(index_dir, FakeEmbedder(), folder)
    return index_dir


def test_an_index_of_an_older_format_asks_for_a_rebuild_and_rebuild_brings_it_up(
    indexed: Path,
) -> None:
    index_dir, embedder = indexed, FakeEmbedder()
    manifest_path = index_dir / "manifest.json"
    older = json.loads(manifest_path.read_text(encoding="utf-8")) | {"format": FORMAT_VERSION - 1}
    manifest_path.write_text(json.dumps(older), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="zharshy rebuild"):
        IndexReader(index_dir, embedder.name).documents()
    report = rebuild(index_dir, Embedding(embedder, 64))
    assert report.documents_added == 3
    manifest = read_manifest(index_dir)
    assert manifest is not None and manifest["format"] == FORMAT_VERSION
    assert _ids(index_dir, embedder) == {"2025/dorm.md", "2025/library.txt", "grant.md"}


def test_a_rebuild_waits_for_an_ingest_and_keeps_what_it_added(indexed: Path) -> None:
    index_dir, embedder = indexed, FakeEmbedder()
    reports: list[IngestReport] = []
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:  # holds the lock
        rebuilding = threading.Thread(
            target=lambda: reports.append(rebuild(index_dir, Embedding(embedder, 64)))
        )
        rebuilding.start()
        time.sleep(0.5)  # the rebuild is waiting for the lock by now
        late = Document(id="late", title="Late", text="A late notice.", lang="en", source="api")
        ingest_documents(writer, Embedding(embedder, 64), [late])
    rebuilding.join(timeout=60)
    assert reports and reports[0].documents_added == 4
    assert "late" in _ids(index_dir, embedder)
