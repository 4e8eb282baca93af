"""One small base class for every embedding backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Embedder(ABC):
    """Turns questions and passages into L2-normalised float32 vectors of `dim` numbers.

    `name` is recorded in the index: an index is only ever searched with the embedder that built it.
    """

    name: str
    dim: int

    @abstractmethod
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for questions, shape (len(texts), dim)."""

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for stored text, shape (len(texts), dim)."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage, so chunks fit its window."""


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
