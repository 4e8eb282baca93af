"""Embedding backends, one file each, chosen by name."""

from __future__ import annotations

from index.embedders.base import Embedder

DEFAULT = "e5-small-q4"


def load_embedder(spec: str) -> Embedder:
    """`e5-small-q4` or `sentence-transformers:<model name or path>`."""
    if spec == DEFAULT:
        from index.embedders.e5 import E5SmallQ4

        return E5SmallQ4()
    from index.embedders.sentence_transformers import PREFIX, SentenceTransformersEmbedder

    if spec.startswith(PREFIX) and spec[len(PREFIX) :]:
        return SentenceTransformersEmbedder(spec[len(PREFIX) :])
    raise ValueError(f"unknown embedder {spec!r}")


__all__ = ["DEFAULT", "Embedder", "load_embedder"]
