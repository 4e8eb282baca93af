"""A deterministic stand-in embedder for tests of ranking and storage logic, not of the model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from index.embedders.base import Embedder, normalise_rows

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder(Embedder):
    """Hashes lower-cased words into buckets: texts sharing words are near, others are far."""

    def __init__(self, dim: int = 64, name: str = "fake-words") -> None:
        self.dim = dim
        self.name = name
        self.passages_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        if not vector.any():
            vector[0] = 1.0
        return vector

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(np.vstack([self._vector(t) for t in texts]))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise_rows(np.vstack([self._vector(t) for t in texts]))

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text)) + 2
