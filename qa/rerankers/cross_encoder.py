"""Any Sentence Transformers CrossEncoder with one relevance output, by hub name or local path.

Needs the extra: `pip install zharshy[sentence-transformers]`.

Nothing is downloaded unless the site allows it: with `HF_HUB_OFFLINE=1` only cached or local
models load.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from qa.rerankers.base import Reranker

PREFIX = "cross-encoder:"
_BATCH = 16


class CrossEncoderReranker(Reranker):
    def __init__(self, model: str) -> None:
        try:
            import torch
            from sentence_transformers import CrossEncoder
        except ImportError as exc:
            raise ImportError(
                "the cross-encoder reranker needs the optional extra: "
                "pip install 'zharshy[sentence-transformers]'"
            ) from exc
        self.name = PREFIX + model
        self._model: Any = CrossEncoder(model, device="cpu")
        labels = int(self._model.num_labels)
        if labels != 1:
            raise ValueError(
                f"{model} has {labels} outputs; a reranker needs a cross-encoder with one "
                "relevance score (num_labels=1)"
            )
        # With one label, sentence-transformers applies the activation saved with the model:
        # Sigmoid unless the model says otherwise, and some rerankers are saved with Identity,
        # so they return raw logits. Called `activation_fn` since v4, before that
        # `default_activation_function`.
        activation = getattr(self._model, "activation_fn", None) or getattr(
            self._model, "default_activation_function", None
        )
        self._returns_probabilities = isinstance(activation, torch.nn.Sigmoid)
        # A fast tokenizer refuses to be used by two threads at once ("Already borrowed").
        self._lock = threading.Lock()

    def score(self, question: str, passages: Sequence[str]) -> np.ndarray:
        if not passages:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            raw = self._model.predict(
                [(question, passage) for passage in passages],
                batch_size=_BATCH,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        scores = np.asarray(raw, dtype=np.float64).reshape(len(passages))
        if not self._returns_probabilities:
            # Logits: a sigmoid puts them on [0, 1], the scale the reranker's weight assumes.
            scores = 1.0 / (1.0 + np.exp(-scores))
        return scores.astype(np.float32)
