"""The web front door: one FastAPI application with the REST API under `/api` (OpenAPI at
`/docs`) and the staff page (Gradio) at `/`, served by uvicorn.

`python app.py` (or `zharshy serve`) runs it. The embedder and the index load once, at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from index.errors import (
    DocumentNotFoundError,
    EmbedderMismatchError,
    IndexCorruptError,
    IndexMissingError,
    InvalidQueryError,
    ZharshyError,
)
from settings import Settings

log = logging.getLogger("zharshy")

_STATUS_OF: dict[type[ZharshyError], int] = {
    DocumentNotFoundError: status.HTTP_404_NOT_FOUND,
    InvalidQueryError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    IndexMissingError: status.HTTP_503_SERVICE_UNAVAILABLE,
    EmbedderMismatchError: status.HTTP_503_SERVICE_UNAVAILABLE,
    IndexCorruptError: status.HTTP_500_INTERNAL_SERVER_ERROR,
}


def _error(
    code: int, message: str, detail: Any = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": message, "detail": detail}, status_code=code, headers=headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    import gradio as gr

    from web.api import router
    from web.ui import build_ui

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from ingest.language import warm_up
        from qa.calibration import UNCALIBRATED
        from qa.service import QAService

        service = app.state.service = QAService.from_settings(settings, create_index=True)
        if not service.calibrated:
            log.warning(UNCALIBRATED.format(embedder=service.embedder.name))
        warm_up()  # the language detector loads now, not on the first question
        if settings.api_key is None:
            log.warning("ZHARSHY_API_KEY is not set: the server is read-only")
        yield

    app = FastAPI(
        title="Zharshy",
        summary="Search and cited answers over the university's announcements.",
        version="0.1.0",
        lifespan=lifespan,
        root_path=settings.root_path,
    )
    app.state.settings = settings
    app.include_router(router, prefix="/api", tags=["announcements"])

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        from web.api import _readable

        return _error(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            _readable(exc.errors()),
            [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()],
        )

    @app.exception_handler(ZharshyError)
    async def domain_error(_: Request, exc: ZharshyError) -> JSONResponse:
        code = next((c for kind, c in _STATUS_OF.items() if isinstance(exc, kind)), 400)
        return _error(code, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _error(
            status.HTTP_500_INTERNAL_SERVER_ERROR,
            f"internal error ({type(exc).__name__}); the server log has details",
        )

    def current_service() -> Any:
        return app.state.service

    return gr.mount_gradio_app(
        app,
        build_ui(current_service, settings),
        path="/",
        root_path=settings.root_path or None,
        # The page's uploads obey the same limit as the API's, checked before reading.
        max_file_size=settings.max_file_bytes,
    )


def serve(settings: Settings) -> None:
    import uvicorn

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        root_path=settings.root_path,
        log_level="info",
    )


if __name__ == "__main__":
    serve(Settings())
