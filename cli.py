"""The admin front door: `zharshy ingest | rebuild | search | ask | status`.

Thin: parse, call the index or the qa service, format. Domain errors become one readable line and
an exit status; a traceback only with `--debug`.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError

from index.errors import ZharshyError
from settings import Settings

if TYPE_CHECKING:  # the heavy modules load only when a command needs them
    from index.build import Embedding
    from qa.retrieve import Filters
    from qa.service import QAService

EXIT_OK, EXIT_FATAL, EXIT_PARTIAL = 0, 1, 3

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder [env ZHARSHY_INDEX_DIR; default ./data/index].",
)
@click.option(
    "--embedder",
    default=None,
    help="'e5-small-q4' or 'sentence-transformers:<model>' [env ZHARSHY_EMBEDDER].",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(ctx: click.Context, index_dir: Path | None, embedder: str | None, debug: bool) -> None:
    """Zharshy: search and cited answers over the university's announcements."""
    overrides: dict[str, Any] = {}
    if index_dir is not None:
        overrides["index_dir"] = index_dir
    if embedder is not None:
        overrides["embedder"] = embedder
    ctx.obj = {"debug": debug, "overrides": overrides}


def _settings(ctx: click.Context) -> Settings:
    try:
        return Settings(**ctx.obj["overrides"])
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise click.UsageError(f"invalid settings: {problems}") from exc


def handle_errors(command: F) -> F:
    """One readable line and exit status 1 for any failure; the traceback only with --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ZharshyError as exc:
            if ctx.obj["debug"]:
                raise
            click.echo(f"error: {exc}", err=True)
        except Exception as exc:
            if ctx.obj["debug"]:
                raise
            click.echo(
                f"error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True
            )
        ctx.exit(EXIT_FATAL)

    return wrapper  # type: ignore[return-value]


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def _progress(
    label: str, enabled: bool
) -> Iterator[tuple[Callable[[int], None], Callable[[str], None]]]:
    """A tqdm bar on a terminal; nothing otherwise (the summary line follows)."""
    if not enabled:
        yield (lambda _total: None), (lambda _item: None)
        return
    from tqdm import tqdm

    bar = tqdm(desc=label, unit="file", file=sys.stderr, leave=False)

    def set_total(total: int) -> None:
        bar.total = total
        bar.refresh()

    def step(item: str) -> None:
        bar.set_postfix_str(Path(item).name[-40:], refresh=False)
        bar.update(1)

    try:
        yield set_total, step
    finally:
        bar.close()


def _embedding(settings: Settings) -> Embedding:
    from index.build import Embedding
    from index.embedders import load_embedder

    return Embedding(load_embedder(settings.embedder), settings.chunk_tokens)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Remove documents whose files are gone from PATHS.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, paths: tuple[Path, ...], prune: bool, as_json: bool) -> None:
    """Index the announcements in PATHS (files or folders); unchanged files are skipped."""
    from index.build import ingest_paths
    from index.store import IndexWriter

    settings = _settings(ctx)
    embedding = _embedding(settings)
    show_bar = sys.stderr.isatty() and not as_json
    with (
        IndexWriter(settings.index_dir, embedding.embedder.name, embedding.embedder.dim) as writer,
        _progress("ingest", show_bar) as (set_total, step),
    ):
        report = ingest_paths(
            writer,
            embedding,
            list(paths),
            max_bytes=settings.max_file_bytes,
            prune=prune,
            on_file=step,
            on_total=set_total,
        )
    if as_json:
        _print_json(report.as_dict())
    else:
        for problem in report.errors:
            click.echo(f"skipped {problem.path}: {problem.reason}", err=True)
        click.echo(
            f"{report.documents_seen} documents: {report.documents_added} added, "
            f"{report.documents_updated} updated, {report.documents_unchanged} unchanged, "
            f"{report.documents_removed} removed; {report.chunks_embedded} chunks embedded; "
            f"{len(report.errors)} skipped; {report.seconds:.1f} s"
        )
    if report.errors:
        ctx.exit(EXIT_PARTIAL if report.documents_seen else EXIT_FATAL)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@handle_errors
def rebuild(ctx: click.Context, as_json: bool) -> None:
    """Re-embed every indexed document with the configured embedder and chunk size."""
    from index.build import rebuild as rebuild_index

    settings = _settings(ctx)
    embedding = _embedding(settings)
    with _progress("rebuild", sys.stderr.isatty() and not as_json) as (set_total, step):
        report = rebuild_index(settings.index_dir, embedding, on_document=step, on_total=set_total)
    if as_json:
        _print_json(report.as_dict())
    else:
        click.echo(
            f"rebuilt {report.documents_seen} documents with {embedding.embedder.name}: "
            f"{report.chunks_embedded} chunks embedded; {report.seconds:.1f} s"
        )


def _service(settings: Settings) -> QAService:
    from qa.service import QAService

    return QAService.from_settings(settings)


def _warn_if_uncalibrated(service: QAService) -> None:
    from qa.calibration import UNCALIBRATED

    if not service.calibrated:
        click.echo(f"warning: {UNCALIBRATED.format(embedder=service.embedder.name)}", err=True)


def _filter_options(command: F) -> F:
    options = [
        click.option(
            "-k",
            "--k",
            "k",
            type=click.IntRange(1, 50),
            default=None,
            help="How many announcements to list [default 5].",
        ),
        click.option(
            "--lang", default=None, help="Only announcements in this language (ru, kk, en, zh)."
        ),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Only announcements dated on or after YYYY-MM-DD.",
        ),
        click.option(
            "--until",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Only announcements dated on or before YYYY-MM-DD.",
        ),
        click.option("--category", default=None, help="Only announcements of this category."),
        click.option("--json", "as_json", is_flag=True, help="Print the result as JSON."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(lang: str | None, since: Any, until: Any, category: str | None) -> Filters:
    from qa.retrieve import Filters

    def iso(value: Any) -> str | None:
        return value.date().isoformat() if value is not None else None

    return Filters(lang=lang, since=iso(since), until=iso(until), category=category)


def _describe(source: Any, number: int) -> str:
    where = source.url or source.path + (f", page {source.page}" if source.page else "")
    return f"  {number}. {source.title} — {source.date or 'undated'} [{source.lang}] {where}"


@main.command()
@click.argument("question")
@_filter_options
@click.pass_context
@handle_errors
def search(
    ctx: click.Context,
    question: str,
    k: int | None,
    lang: str | None,
    since: Any,
    until: Any,
    category: str | None,
    as_json: bool,
) -> None:
    """List the announcements that best match QUESTION."""
    settings = _settings(ctx)
    sources = _service(settings).search(
        question, k or settings.top_k, _filters(lang, since, until, category)
    )
    if as_json:
        _print_json({"question": question, "sources": [s.__dict__ for s in sources]})
        return
    if not sources:
        click.echo("No announcements match.")
    for number, source in enumerate(sources, 1):
        click.echo(f"{_describe(source, number)}  (score {source.score:.2f})")
        click.echo(f"     {source.text[:200].replace(chr(10), ' ')}…")


def confidence_words(confidence: float, threshold: float) -> str:
    from qa.schema import confidence_band

    band = confidence_band(confidence, threshold)
    return "low — check the sources" if band == "low" else band


@main.command()
@click.argument("question")
@_filter_options
@click.pass_context
@handle_errors
def ask(
    ctx: click.Context,
    question: str,
    k: int | None,
    lang: str | None,
    since: Any,
    until: Any,
    category: str | None,
    as_json: bool,
) -> None:
    """Answer QUESTION from the announcements, citing the sentence it comes from."""
    settings = _settings(ctx)
    service = _service(settings)
    _warn_if_uncalibrated(service)
    result = service.ask(question, k or settings.top_k, _filters(lang, since, until, category))
    if as_json:
        _print_json(result.as_dict())
        return
    confidence = f"confidence {result.confidence:.2f}, " + confidence_words(
        result.confidence, service.min_confidence
    )
    if result.answer is None:
        click.echo(f"No confident answer in the announcements ({confidence}).")
        if result.sentence:
            click.echo(f"Closest sentence: {result.sentence}")
    else:
        click.echo(f"Answer: {result.answer}  ({confidence})")
        click.echo(f"From: {result.sentence}")
    if result.sources:
        click.echo("Sources:")
        for number, source in enumerate(result.sources, 1):
            click.echo(_describe(source, number))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
@handle_errors
def status(ctx: click.Context, as_json: bool) -> None:
    """What the index holds: documents, chunks, sentences, words, languages, embedder, last
    update."""
    from index.store import IndexReader, require_manifest
    from qa.calibration import UNCALIBRATED, find_calibration

    settings = _settings(ctx)
    manifest = require_manifest(settings.index_dir)
    stats = IndexReader(settings.index_dir, manifest["embedder"]).stats().__dict__
    stats["configured_embedder"] = settings.embedder
    calibration, path = find_calibration(settings.index_dir, stats["embedder"])
    stats["calibration"] = path and {
        "path": str(path),
        "fitted_on": calibration.fitted_on,
        "questions": calibration.questions,
    }
    stats["embedder_matches"] = settings.embedder == stats["embedder"]
    if as_json:
        _print_json(stats)
        return
    click.echo(
        f"index      {stats['path']} (generation {stats['generation']}, "
        f"updated {stats['updated_at']})"
    )
    click.echo(
        f"documents  {stats['documents']}  chunks {stats['chunks']}  "
        f"sentences {stats['sentences']}  words {stats['words']}"
    )
    click.echo("languages  " + ", ".join(f"{k} {v}" for k, v in stats["languages"].items()))
    click.echo(f"embedder   {stats['embedder']} ({stats['dim']} dims)")
    if not stats["embedder_matches"]:
        click.echo(f"warning: {settings.embedder!r} is configured; run `zharshy rebuild`")
    calibration = stats["calibration"]
    if calibration is None:
        click.echo(f"warning: {UNCALIBRATED.format(embedder=stats['embedder'])}")
    else:
        click.echo(
            f"calibrated on {calibration['fitted_on']} ({calibration['questions']} questions): "
            f"{calibration['path']}"
        )


@main.command()
@click.option("--host", default=None, help="Address to listen on [env ZHARSHY_HOST; 127.0.0.1].")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port [env ZHARSHY_PORT; 7860]."
)
@click.option(
    "--root-path", default=None, help="Path prefix behind a reverse proxy [env ZHARSHY_ROOT_PATH]."
)
@click.pass_context
@handle_errors
def serve(ctx: click.Context, host: str | None, port: int | None, root_path: str | None) -> None:
    """Run the web server: the staff page at / and the REST API at /api (docs at /docs)."""
    from app import serve as run_server

    for name, value in (("host", host), ("port", port), ("root_path", root_path)):
        if value is not None:
            ctx.obj["overrides"][name] = value
    run_server(_settings(ctx))


@main.command(name="eval")
@click.argument("questions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-k",
    "--k",
    "k",
    type=click.IntRange(1, 50),
    default=10,
    show_default=True,
    help="Announcements retrieved per question.",
)
@click.option(
    "--calibrate",
    is_flag=True,
    help="Fit the sentence choice and the confidence on this set and save them with the package.",
)
@click.option(
    "--require",
    "requirements",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Fail (exit 1) if METRIC is below VALUE overall or in any question language, "
    "e.g. --require recall@5=0.9. Repeatable.",
)
@click.option(
    "--cross-validate",
    "folds",
    type=click.IntRange(min=2),
    default=None,
    metavar="FOLDS",
    help="Answer each fold of announcements with the sentence choice and confidence fitted "
    "on the other folds (nothing is saved).",
)
@click.option(
    "--deals",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With --cross-validate: deal the announcements into folds this many ways (the first "
    "in order, the others shuffled) and report the mean, since one split moves the result by "
    "a few questions. With --json the questions are the first deal's.",
)
@click.option(
    "--ablation",
    is_flag=True,
    help="Switch the components on one at a time and print one Markdown table.",
)
@click.option("--json", "as_json", is_flag=True, help="Print metrics and every question as JSON.")
@click.pass_context
@handle_errors
def evaluate(
    ctx: click.Context,
    questions_file: Path,
    k: int,
    calibrate: bool,
    requirements: tuple[str, ...],
    folds: int | None,
    deals: int,
    ablation: bool,
    as_json: bool,
) -> None:
    """Measure retrieval and answers on a question set (JSONL: question, doc_id, answers, lang)."""
    from qa import evaluate as ev
    from qa.calibration import CALIBRATION_FILE

    settings = _settings(ctx)
    thresholds = _thresholds(requirements)
    if sum((calibrate, ablation, folds is not None)) > 1:
        raise click.UsageError("use one of --calibrate, --cross-validate and --ablation")
    if deals > 1 and folds is None:
        raise click.UsageError("--deals needs --cross-validate")
    questions = ev.load_questions(questions_file)
    if ablation:
        from qa.service import QAService

        steps, overrides = [], {}
        # A configured cross-encoder is switched on last, so its own row shows what it adds.
        configured = [("+ cross-encoder reranker", {"reranker": settings.reranker})]
        for name, change in ev.ABLATION_STEPS + (configured if settings.reranker else []):
            overrides.update(change)
            service = QAService.from_settings(settings.model_copy(update=overrides))
            steps.append((name, ev.run(service, questions, k=k)))
        click.echo(ev.ablation_table(steps))
        return
    service = _service(settings)
    unknown = ev.unknown_announcements(questions, service)
    if unknown:
        click.echo(
            f"warning: {questions_file} expects answers from announcements the index does not "
            f"hold, so they count as missed: {', '.join(unknown)}",
            err=True,
        )
    if calibrate:
        calibration = replace(
            ev.fit_calibration(service, questions, k=k), fitted_on=questions_file.name
        )
        saved_to = settings.index_dir / CALIBRATION_FILE
        calibration.save(saved_to)
        service.calibration = calibration
        click.echo(f"calibration saved to {saved_to}", err=True)
    elif folds is None:
        _warn_if_uncalibrated(service)
    if folds is not None:
        runs = [ev.cross_validate(service, questions, folds, k=k, deal=d) for d in range(deals)]
    else:
        runs = [ev.run(service, questions, k=k)]
    reports = [ev.metrics(outcomes) for outcomes in runs]
    report = ev.mean_report(reports) if deals > 1 else reports[0]
    if as_json:
        _print_json({"metrics": report, "questions": ev.question_rows(runs[0])})
    else:
        _print_metrics_table(report)
        if deals > 1:
            _print_spread(reports)
    shortfalls = ev.shortfalls(report, thresholds)
    for shortfall in shortfalls:
        click.echo(f"below threshold: {shortfall}", err=True)
    if shortfalls:
        ctx.exit(EXIT_FATAL)


def _thresholds(requirements: tuple[str, ...]) -> dict[str, float]:
    thresholds = {}
    for requirement in requirements:
        metric, _, value = requirement.partition("=")
        try:
            thresholds[metric.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(
                f"{requirement!r} is not METRIC=VALUE", param_hint="--require"
            ) from None
    return thresholds


def _print_metrics_table(report: dict[str, Any]) -> None:
    columns = {
        "recall@1": "R@1",
        "recall@5": "R@5",
        "recall@10": "R@10",
        "mrr@10": "MRR@10",
        "answer_accuracy": "answer",
        "sentence_accuracy": "sentence",
        "abstention_precision": "abst.prec",
        "abstention_recall": "abst.rec",
        "right_low": "low ok",
        "right_medium": "mid ok",
        "right_high": "high ok",
        "latency_p50_ms": "p50 ms",
        "latency_p95_ms": "p95 ms",
    }
    click.echo(f"{'':14}{'n':>5}" + "".join(f"{label:>10}" for label in columns.values()))

    def row(label: str, values: dict[str, Any]) -> None:
        cells = "".join(f"{'' if values.get(c) is None else values[c]:>10}" for c in columns)
        click.echo(f"{label:14}{values['questions']:>5g}{cells}")

    row("overall", report["overall"])
    for lang, values in report["by_question_lang"].items():
        row(lang, values)
    for pair, values in report["by_lang_pair"].items():
        row(pair, values)
    _print_losses(report)


def _print_spread(reports: list[dict[str, Any]]) -> None:
    """How far apart the deals of the folds came out, overall."""
    click.echo("")
    click.echo(f"The mean of {len(reports)} deals of the folds; overall, lowest to highest:")
    for metric in ("recall@1", "answer_accuracy", "sentence_accuracy", "abstention_recall"):
        values = [report["overall"][metric] for report in reports]
        click.echo(f"  {metric:20} {min(values):.4f} – {max(values):.4f}")


def _print_losses(report: dict[str, Any]) -> None:
    """Where the answers of the answerable questions are lost, as counts."""
    from qa.evaluate import LOSSES

    labels = ("right", "withheld", "wrong answer", "other first")
    click.echo("")
    click.echo(
        "Answerable questions: answered right, right but withheld, wrong with the expected "
        "announcement first, wrong with another first."
    )
    click.echo(f"{'':14}{'n':>5}" + "".join(f"{label:>14}" for label in labels))
    groups = {"overall": report["overall"], **report["by_question_lang"]}
    for label, values in groups.items():
        if values.get("answerable"):
            cells = "".join(f"{values[loss]:>14g}" for loss in LOSSES)
            click.echo(f"{label:14}{values['answerable']:>5g}{cells}")


if __name__ == "__main__":
    main()
