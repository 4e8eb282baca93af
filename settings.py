"""The one place settings live: flags override `ZHARSHY_*` variables (and `.env`), which override
these defaults. Bad values are refused at start-up, not at the first request."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_EMBEDDER = "e5-small-q4"


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
    min_confidence: float = Field(
        0.5, ge=0.0, le=1.0, description="Below this, no answer is given."
    )
    top_k: int = Field(5, ge=1, le=50, description="Announcements listed as sources.")

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

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
