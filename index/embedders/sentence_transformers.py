"""Any Sentence Transformers model, by hub name or local path.

Needs the extra: `pip install zharshy[sentence-transformers]`.

Nothing is downloaded unless the site allows it: with `HF_HUB_OFFLINE=1` only cached or local
models load.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from index.embedders.base import Embedder, normalise_rows

PREFIX = "sentence-transformers:"

# Models of the e5 family expect role prefixes; others are trained without them.
_E5_PREFIXES = ("query: ", "passage: ")


class SentenceTransformersEmbedder(Embedder):
    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                "the sentence-transformers embedder needs the optional extra: "
                "pip install 'zharshy[sentence-transformers]'"
            ) from exc
        self.name = PREFIX + model
        self._model: Any = SentenceTransformer(model, device="cpu")
        # Renamed in sentence-transformers 6; older releases only have the long name.
        dimension = getattr(self._model, "get_embedding_dimension", None)
        if dimension is None:
            dimension = self._model.get_sentence_embedding_dimension
        dim = dimension()
        if not dim:
            raise ValueError(f"{model} does not report an embedding dimension")
        self.dim = int(dim)
        self._prefixes = _E5_PREFIXES if "e5" in model.lower() else ("", "")

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + t for t in texts],
            batch_size=32,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalise_rows(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[0])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[1])

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])
