"""One small base class for every reranking backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Reranker(ABC):
    """Reads a question together with each passage and says how relevant the passage is.

    Unlike an embedder, which encodes question and passage apart, a reranker sees both at once:
    slower, so it only re-scores the few announcements retrieval already put on top.
    """

    name: str

    @abstractmethod
    def score(self, question: str, passages: Sequence[str]) -> np.ndarray:
        """One relevance score in [0, 1] per passage, higher = more relevant; float32, shape
        (len(passages),)."""
