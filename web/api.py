"""The REST API the university portal calls, under `/api`. Thin: validate, call the qa service,
serialise. Request and response models are separate; errors are JSON `{"error", "detail"}`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from ingest.loaders import document_from_record
from qa.retrieve import Filters
from qa.service import MAX_QUESTION_CHARS, QAService

router = APIRouter()


# --- models ---------------------------------------------------------------------------------


class FiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str | None = Field(None, max_length=8, description="ru, kk, en, zh, …")
    since: date | None = Field(None, description="Only announcements dated on or after.")
    until: date | None = Field(None, description="Only announcements dated on or before.")
    category: str | None = Field(None, max_length=64)

    def to_filters(self) -> Filters:
        return Filters(
            lang=self.lang or None,
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            category=self.category or None,
        )


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    k: int = Field(5, ge=1, le=50, description="Announcements to list as sources.")
    filters: FiltersIn = Field(default_factory=FiltersIn)


class SourceOut(BaseModel):
    doc_id: str
    chunk_id: int
    title: str
    url: str | None
    date: str | None
    lang: str
    category: str | None
    path: str
    page: int | None
    text: str
    score: float
    highlight: list[list[int]]
    supersedes: dict[str, str | None] | None = Field(
        None, description="An earlier announcement this one changes (doc_id, title, date)."
    )
    versions: list[dict[str, str | None]] = Field(
        default_factory=list,
        description="The same announcement in other languages (doc_id, lang, title, url).",
    )


class AnswerOut(BaseModel):
    question: str
    answer: str | None
    sentence: str | None
    confidence: float
    mode: str
    question_lang: str
    message: str | None
    sources: list[SourceOut]


class SearchOut(BaseModel):
    question: str
    sources: list[SourceOut]


class AnnouncementIn(BaseModel):
    """One announcement, in the shape of a line of a JSONL bulk file."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=512)
    title: str | None = Field(None, max_length=1000)
    text: str = Field(min_length=1)
    date: str | None = None
    url: str | None = Field(None, max_length=2000)
    lang: str | None = Field(None, max_length=8)
    category: str | None = Field(None, max_length=64)


class DocumentResult(BaseModel):
    id: str
    status: Literal["added", "updated", "unchanged"]


class ProblemOut(BaseModel):
    path: str
    reason: str


class DocumentsOut(BaseModel):
    documents: list[DocumentResult]
    errors: list[ProblemOut]
    chunks_embedded: int
    seconds: float


class DeletedOut(BaseModel):
    id: str
    status: Literal["deleted"] = "deleted"


class RebuildOut(BaseModel):
    running: bool
    done: int
    total: int
    started_at: str | None
    finished_at: str | None
    error: str | None


class CalibrationOut(BaseModel):
    """The calibration answers are weighed by: the question set it was fitted on."""

    fitted_on: str | None
    questions: int


class StatusOut(BaseModel):
    documents: int
    chunks: int
    sentences: int
    words: int
    languages: dict[str, int]
    categories: dict[str, int]
    embedder: str
    dim: int
    generation: int
    updated_at: str | None
    read_only: bool
    rebuild: RebuildOut
    calibration: CalibrationOut | None  # None: no calibration fits the embedder


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


# --- dependencies -----------------------------------------------------------------------


def get_service(request: Request) -> QAService:
    service: QAService = request.app.state.service
    return service


def require_key(request: Request) -> None:
    """Write endpoints need `Authorization: Bearer <ZHARSHY_API_KEY>`."""
    settings = request.app.state.settings
    if settings.api_key is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "this server is read-only: set ZHARSHY_API_KEY and restart it to allow changes",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not settings.accepts_key(given):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong API key: send 'Authorization: Bearer <ZHARSHY_API_KEY>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


Service = Annotated[QAService, Depends(get_service)]
WRITE = [Depends(require_key)]


# --- routes --------------------------------------------------------------------------------


@router.get("/health", response_model=HealthOut, summary="Liveness; needs no index")
def health() -> HealthOut:
    return HealthOut()


@router.get("/status", response_model=StatusOut, summary="What the index holds")
def index_status(request: Request, service: Service) -> StatusOut:
    stats = {key: value for key, value in vars(service.status()).items() if key != "path"}
    return StatusOut(
        **stats,
        read_only=request.app.state.settings.api_key is None,
        rebuild=RebuildOut(**vars(service.rebuild_status)),
        calibration=CalibrationOut(
            fitted_on=service.calibration.fitted_on, questions=service.calibration.questions
        )
        if service.calibrated
        else None,
    )


@router.get("/search", response_model=SearchOut, summary="Announcements that match a question")
def search(
    service: Service,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS)],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    lang: Annotated[str | None, Query(max_length=8)] = None,
    since: date | None = None,
    until: date | None = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
) -> SearchOut:
    filters = FiltersIn(lang=lang, since=since, until=until, category=category).to_filters()
    sources = service.search(q, k, filters)
    return SearchOut(question=q, sources=[SourceOut(**vars(s)) for s in sources])


@router.post("/ask", response_model=AnswerOut, summary="Answer a question, citing the sentence")
def ask(body: AskIn, service: Service) -> AnswerOut:
    reply = service.ask(body.question, body.k, body.filters.to_filters())
    data = reply.as_dict()
    data.pop("scores")
    return AnswerOut(**data)


@router.post(
    "/documents",
    response_model=DocumentsOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    summary="Add or update announcements: JSON (one or a list) or multipart file upload",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/AnnouncementIn"},
                            {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/AnnouncementIn"},
                            },
                        ]
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                    }
                },
            },
        },
    },
)
async def add_documents(request: Request, service: Service) -> DocumentsOut:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        files = await _uploaded_files(request)
        report = await _in_thread(service.add_files, files)
    else:
        records = await _announcements(request)
        documents = []
        for number, record in enumerate(records):
            try:
                documents.append(
                    document_from_record(record, fallback_id=record["id"], source="api")
                )
            except ValueError as exc:
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT, f"announcement {number}: {exc}"
                ) from exc
        report = await _in_thread(service.add_documents, documents)
    return DocumentsOut(
        documents=[DocumentResult(id=i, status=s) for i, s in report.outcomes.items()],
        errors=[ProblemOut(path=p.path, reason=p.reason) for p in report.errors],
        chunks_embedded=report.chunks_embedded,
        seconds=round(report.seconds, 3),
    )


@router.delete(
    "/documents/{doc_id:path}",
    response_model=DeletedOut,
    dependencies=WRITE,
    summary="Remove an announcement",
)
def delete_document(doc_id: str, service: Service) -> DeletedOut:
    service.delete_document(doc_id)
    return DeletedOut(id=doc_id)


@router.post(
    "/rebuild",
    response_model=RebuildOut,
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=WRITE,
    summary="Re-embed everything in the background",
)
def start_rebuild(service: Service) -> RebuildOut:
    if not service.start_rebuild():
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "a rebuild is already running; GET /api/status shows its progress",
        )
    return RebuildOut(**vars(service.rebuild_status))


# --- request bodies ------------------------------------------------------------------------


# Multipart boundaries and headers around the files themselves.
_FORM_OVERHEAD = 64 * 1024


def _limit(request: Request) -> int:
    limit: int = request.app.state.settings.max_file_bytes
    return limit


def _too_large(limit: int) -> HTTPException:
    return HTTPException(
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        f"the upload is over the {limit // (1024 * 1024)} MB limit (ZHARSHY_MAX_FILE_MB)",
    )


async def _body(request: Request) -> bytes:
    """The request body, refused as soon as it passes the size limit."""
    limit = _limit(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    received = bytearray()
    async for piece in request.stream():
        received.extend(piece)
        if len(received) > limit:
            raise _too_large(limit)
    return bytes(received)


async def _announcements(request: Request) -> list[dict[str, Any]]:
    import json

    from pydantic import TypeAdapter, ValidationError

    try:
        payload = json.loads(await _body(request) or b"null")
    except ValueError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"the body is not valid JSON: {exc}"
        ) from exc
    items = payload if isinstance(payload, list) else [payload]
    try:
        parsed = TypeAdapter(list[AnnouncementIn]).validate_python(items)
    except ValidationError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, _readable(exc.errors())) from exc
    if not parsed:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "no announcements in the body")
    return [item.model_dump() for item in parsed]


async def _uploaded_files(request: Request) -> list[tuple[str, bytes]]:
    """Uploaded files; the form parser spools them to disk, so a large upload is refused by
    its declared length or per file, never held in memory whole."""
    limit = _limit(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _FORM_OVERHEAD:
        raise _too_large(limit)
    form = await request.form(max_files=100)
    files: list[tuple[str, bytes]] = []
    for _, value in form.multi_items():
        if isinstance(value, str):
            continue
        content = await value.read(limit + 1)
        if len(content) > limit:
            raise _too_large(limit)
        files.append((value.filename or "upload", content))
    if not files:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "no files in the upload: send them as multipart field 'files'",
        )
    return files


async def _in_thread(function: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


def _readable(errors: Any) -> str:
    """One line per problem: `question: String should have at most 2000 characters`."""
    lines = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body",))
        lines.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return "; ".join(lines)
