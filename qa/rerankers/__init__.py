"""Reranking backends, one file each, chosen by name; none is on by default, because none
ships offline."""

from __future__ import annotations

from qa.rerankers.base import Reranker


def load_reranker(spec: str) -> Reranker:
    """`cross-encoder:<model name or path>`."""
    from qa.rerankers.cross_encoder import PREFIX, CrossEncoderReranker

    if spec.startswith(PREFIX) and spec[len(PREFIX) :].strip():
        return CrossEncoderReranker(spec[len(PREFIX) :].strip())
    raise ValueError(f"unknown reranker {spec!r}: use 'cross-encoder:<model name or path>'")


__all__ = ["Reranker", "load_reranker"]
