"""Shared fixtures. No test reaches the network: sockets may only connect to loopback."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.embedders import Embedder
from qa.service import QAService
from tests.fakes import FakeEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in (
        "127.0.0.1",
        "::1",
        "localhost",
    ):
        raise OSError(f"tests must not reach the network (tried {address!r})")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    socket.socket.connect = _loopback_only  # type: ignore[method-assign,assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def e5() -> Embedder:
    """The real bundled model, loaded once per session."""
    from index.embedders import load_embedder

    return load_embedder("e5-small-q4")


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, e5: Embedder) -> Path:
    """The default corpus indexed with the bundled model, once per session."""
    from index.build import Embedding, ingest_paths
    from index.store import IndexWriter

    index_dir = tmp_path_factory.mktemp("corpus-index")
    with IndexWriter(index_dir, e5.name, e5.dim) as writer:
        report = ingest_paths(writer, Embedding(e5, 200), [CORPUS], max_bytes=20 * 1024 * 1024)
    assert report.errors == [], report.errors
    return index_dir


@pytest.fixture(scope="session")
def service(corpus_index: Path, e5: Embedder) -> QAService:
    from index.store import IndexReader

    return QAService(IndexReader(corpus_index, e5.name), e5)
