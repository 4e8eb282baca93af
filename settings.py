"""The one place settings live: flags override `ZHARSHY_*` variables (and `.env`), which override
these defaults. Bad values are refused at start-up, not at the first request."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_EMBEDDER = "e5-small-q4"
RERANKER_PREFIX = "cross-encoder:"
MIN_API_KEY_CHARS = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ZHARSHY_", env_file=".env", extra="ignore", validate_default=True
    )

    index_dir: Path = Field(Path("data/index"), description="Folder holding the index.")
    embedder: str = Field(
        DEFAULT_EMBEDDER, description="'e5-small-q4' or 'sentence-transformers:<name or path>'."
    )
    chunk_tokens: int = Field(200, ge=32, le=512, description="Chunk budget in embedder tokens.")
    max_file_mb: float = Field(
        20.0, gt=0, le=2048, description="Files larger than this are skipped."
    )
    # The confidence is the calibrated probability that the answer is right: below a third, an
    # answer is more often wrong than a reader would accept (docs/quality.md).
    min_confidence: float = Field(
        1 / 3, ge=0.0, le=1.0, description="Below this, no answer is given."
    )
    top_k: int = Field(5, ge=1, le=50, description="Announcements listed as sources.")
    language_centering: bool = Field(
        True, description="Remove each language's centroid from passages (cross-lingual search)."
    )
    # Questions embedded alike share a direction that favours the same few announcements for
    # every question (hubs); half of it taken out ranked best on the dev set (docs/quality.md).
    question_centering: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of the mean question of the question's language taken out before "
        "ranking (0: off).",
    )
    # e5's vectors crowd into a few directions every text shares; dividing a little of the
    # corpus's covariance out lets the directions in which passages differ weigh more.
    whitening: float = Field(
        0.05,
        ge=0.0,
        le=0.5,
        description="Exponent of partial whitening of passages and questions (0: off, 0.5: "
        "full whitening).",
    )
    # A question's word stands for the index's words of another language whose embeddings lie
    # this close to its own (index/lexicon.py); every floor from 0.86 to 0.9 gained answers out
    # of fold (docs/quality.md).
    word_translation_floor: float = Field(
        0.88,
        gt=0.0,
        le=1.0,
        description="Least similarity of two words, embedded alone, for one to translate the "
        "other when choosing the answering sentence (1: off).",
    )
    sentence_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of an announcement's score from its best sentence."
    )
    date_weight: float = Field(
        0.03,
        ge=0.0,
        le=1.0,
        description="What an announcement gains from the year a question names or, for "
        "'latest', from being newest; and what one loses that never speaks of a year the "
        "question writes out.",
    )
    lexical_own_language: float = Field(
        0.0,
        ge=0.0,
        le=0.2,
        description="Weight of word matches in the question's language (off: it did not earn "
        "its place on the dev set, docs/quality.md).",
    )
    lexical_shared: float = Field(
        0.02, ge=0.0, le=0.2, description="Weight of names and numbers matched across languages."
    )
    lexical_cross_script: float = Field(
        0.08,
        ge=0.0,
        le=0.2,
        description="The same, between Chinese and the other languages, where names spelled "
        "across scripts are the only words in common.",
    )
    # Off by default: no cross-encoder ships offline.
    reranker: str | None = Field(
        None,
        description="'cross-encoder:<name or path>' re-scores the top announcements; unset: off.",
    )
    # Cross-encoder scores lie in [0, 1], while dense scores of relevant announcements lie about
    # 0.05 above the rest: at 0.1 a clear cross-encoder judgement reorders the top announcements.
    # Not tuned on the dev set: no cross-encoder is at hand offline to tune it with.
    reranker_weight: float = Field(
        0.1, ge=0.0, le=1.0, description="What a cross-encoder score of 1 adds to a score."
    )
    reranker_depth: int = Field(
        10, ge=1, le=50, description="Top announcements the reranker re-scores."
    )
    api_key: SecretStr | None = Field(
        None, description="Bearer key for the write endpoints; unset, the server is read-only."
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(7860, ge=1, le=65535, description="Port the web server listens on.")
    root_path: str = Field("", description="Path prefix when served behind a reverse proxy.")

    @field_validator("api_key")
    @classmethod
    def _strong_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_API_KEY_CHARS:
            raise ValueError(
                f"the API key must have at least {MIN_API_KEY_CHARS} characters; "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        value = value.strip()
        if value == DEFAULT_EMBEDDER or (
            value.startswith("sentence-transformers:") and value.split(":", 1)[1]
        ):
            return value
        raise ValueError(
            f"unknown embedder {value!r}: use '{DEFAULT_EMBEDDER}' or "
            "'sentence-transformers:<model name or path>'"
        )

    @field_validator("reranker")
    @classmethod
    def _known_reranker(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if value.startswith(RERANKER_PREFIX) and value[len(RERANKER_PREFIX) :].strip():
            return value
        raise ValueError(
            f"unknown reranker {value!r}: use '{RERANKER_PREFIX}<model name or path>', "
            "or leave it unset for none"
        )

    def accepts_key(self, given: str) -> bool:
        """True when `given` is the configured API key, compared in constant time; always
        False on a read-only server (no key configured)."""
        if self.api_key is None:
            return False
        return hmac.compare_digest(given.strip().encode(), self.api_key.get_secret_value().encode())

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def default(name: str) -> Any:
    """A setting's default, for the library classes that take it as an argument: each default
    is written once, here."""
    return Settings.model_fields[name].default
