"""How long a new IndexReader takes to open on a large index, with and without partial whitening
(which reads a sample of up to 20 000 sentence vectors and decomposes their covariance).

The index is synthetic: random unit vectors, two chunks and eight sentences per announcement,
written straight to the store (no embedding), in a temporary folder.

    .venv/bin/python scripts/reader_open.py [ANNOUNCEMENTS]   # default: 10000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.store import ChunkRecord, IndexReader, IndexWriter, SentenceRecord  # noqa: E402
from ingest.documents import Chunk, Document  # noqa: E402
from settings import Settings  # noqa: E402

DIM = 384
CHUNKS, SENTENCES = 2, 8
LANGUAGES = ("ru", "kk", "en", "zh")


def _unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    vectors = rng.standard_normal((count, DIM)).astype(np.float32)
    vectors[:, :8] += 3  # a few directions every text shares, as with a real embedder
    normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised


def build(folder: Path, announcements: int) -> None:
    rng = np.random.default_rng(0)
    with IndexWriter(folder, "synthetic", DIM) as writer:
        for n in range(announcements):
            document = Document(
                id=f"a{n}", title="", text="x" * 400, lang=LANGUAGES[n % len(LANGUAGES)]
            )
            chunks = [
                ChunkRecord(Chunk(document.id, i, i * 200, i * 200 + 200, "x" * 200), vector)
                for i, vector in enumerate(_unit_vectors(rng, CHUNKS))
            ]
            sentences = [
                SentenceRecord(i * 50, i * 50 + 50, vector, question, context)
                for i, (vector, question, context) in enumerate(
                    zip(
                        _unit_vectors(rng, SENTENCES),
                        _unit_vectors(rng, SENTENCES),
                        _unit_vectors(rng, SENTENCES),
                        strict=True,
                    )
                )
            ]
            writer.put(document, document.content_hash(), chunks, sentences)
        writer.publish()


def main() -> None:
    announcements = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder), announcements)
        print(
            f"{announcements} announcements, {announcements * CHUNKS} chunks, "
            f"{announcements * SENTENCES} sentences"
        )
        for whitening in (0.0, Settings().whitening):
            started = time.perf_counter()
            reader = IndexReader(Path(folder), "synthetic", whitening=whitening)
            seconds = time.perf_counter() - started
            reader.close()
            print(f"open with whitening {whitening}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
