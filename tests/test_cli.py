"""The admin CLI as an admin runs it: a real process, real files, exit codes and messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.calibration import CALIBRATION_PATH
from tests.conftest import CORPUS
from tests.samples import write_bad_inputs

ZHARSHY = str(Path(sys.executable).with_name("zharshy"))
SEED = "alt-university-china-embassy-visit"


def zharshy(
    *args: str,
    index_dir: Path,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ZHARSHY_INDEX_DIR": str(index_dir), **(env or {})}
    return subprocess.run(
        [ZHARSHY, *args], capture_output=True, text=True, env=environment, timeout=300
    )


@pytest.fixture
def announcements(tmp_path: Path) -> Path:
    folder = tmp_path / "announcements"
    folder.mkdir()
    (folder / "dorm.md").write_text(
        "---\nid: dorm-2025\ntitle: Заселение в общежитие\ndate: 2025-08-20\nlang: ru\n"
        "category: campus\n---\n"
        "Заселение в общежитие начнётся 25 августа 2025 года. Студентам нужно принести "
        "паспорт и справку о здоровье.\n",
        encoding="utf-8",
    )
    (folder / "scholarship.txt").write_text(
        "Шәкіртақы туралы хабарландыру\nРектор шәкіртақысына өтінімдер 2025 жылғы 1 қазанға "
        "дейін қабылданады. Шәкіртақы мөлшері айына 85 000 теңге.\n",
        encoding="utf-8",
    )
    return folder


def test_ingest_reports_json_and_second_run_embeds_nothing(
    tmp_path: Path, announcements: Path
) -> None:
    index_dir = tmp_path / "index"
    first = zharshy("ingest", str(announcements), "--json", index_dir=index_dir)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert set(report) == {
        "documents_seen",
        "documents_added",
        "documents_updated",
        "documents_unchanged",
        "documents_removed",
        "chunks_embedded",
        "errors",
        "seconds",
    }
    assert (report["documents_added"], report["errors"]) == (2, [])
    second = json.loads(zharshy("ingest", str(announcements), "--json", index_dir=index_dir).stdout)
    assert (second["documents_unchanged"], second["chunks_embedded"]) == (2, 0)

    status = json.loads(zharshy("status", "--json", index_dir=index_dir).stdout)
    assert status["documents"] == 2 and status["embedder"] == "e5-small-q4"
    assert status["languages"] == {"ru": 1, "kk": 1}


def test_ingest_lists_each_skipped_file_and_exits_3(tmp_path: Path, announcements: Path) -> None:
    expected = write_bad_inputs(announcements / "bad")
    result = zharshy("ingest", str(announcements), index_dir=tmp_path / "index")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    for name, words in expected.items():
        line = next((ln for ln in result.stderr.splitlines() if name in ln), None)
        assert line is not None and words in line, (name, result.stderr)
    assert "skipped" in result.stdout


def test_nothing_usable_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "empty-files"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    result = zharshy("ingest", str(folder), index_dir=tmp_path / "index")
    assert result.returncode == 1
    assert "empty file" in result.stderr


def test_ask_answers_with_sentence_and_sources(tmp_path: Path, announcements: Path) -> None:
    index_dir = tmp_path / "index"
    zharshy("ingest", str(announcements), index_dir=index_dir)
    result = zharshy("ask", "Когда начнётся заселение в общежитие?", "--json", index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["answer"] == "2025-08-25"
    assert reply["sources"][0]["doc_id"] == "dorm-2025"
    assert "25 августа 2025" in reply["sentence"]
    text = zharshy("ask", "Шәкіртақы айына қанша?", index_dir=index_dir)
    assert "85 000" in text.stdout and "Sources:" in text.stdout


def test_errors_are_one_line_without_traceback(tmp_path: Path, announcements: Path) -> None:
    missing = zharshy("ask", "anything", index_dir=tmp_path / "nowhere")
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: no index") and "Traceback" not in missing.stderr
    assert "zharshy ingest" in missing.stderr

    bad_setting = zharshy("status", index_dir=tmp_path, env={"ZHARSHY_CHUNK_TOKENS": "5"})
    assert bad_setting.returncode == 2 and "chunk_tokens" in bad_setting.stderr

    debug = zharshy("--debug", "ask", "anything", index_dir=tmp_path / "nowhere")
    assert "Traceback" in debug.stderr


@pytest.mark.slow
def test_other_embedder_needs_rebuild_then_works(
    tmp_path: Path, announcements: Path, minilm_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    zharshy("ingest", str(announcements), index_dir=index_dir)
    other = {"ZHARSHY_EMBEDDER": f"sentence-transformers:{minilm_dir}"}
    refused = zharshy("ask", "dormitory", index_dir=index_dir, env=other)
    assert refused.returncode == 1 and "zharshy rebuild" in refused.stderr
    rebuilt = zharshy("rebuild", "--json", index_dir=index_dir, env=other)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["documents_added"] == 2
    answer = json.loads(
        zharshy("search", "Заселение в общежитие", "--json", index_dir=index_dir, env=other).stdout
    )
    assert answer["sources"][0]["doc_id"] == "dorm-2025"
    # The shipped calibration weighs the bundled model's similarities, not this one's.
    asked = zharshy("ask", "Когда заселение в общежитие?", index_dir=index_dir, env=other)
    assert asked.returncode == 0, asked.stderr
    assert "no answer calibration fits the embedder sentence-transformers:" in asked.stderr
    assert "--calibrate" in zharshy("status", index_dir=index_dir, env=other).stdout


@pytest.mark.slow
def test_luban_question_on_a_copy_of_the_default_corpus(tmp_path: Path, corpus_index: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index, index_dir)
    reply = json.loads(
        zharshy(
            "ask",
            "Когда ALT University получил проект «Мастерская Лу Бань»?",
            "--json",
            index_dir=index_dir,
        ).stdout
    )
    assert "2025" in reply["answer"] and reply["sources"][0]["doc_id"] == SEED


def test_calibrating_fits_this_index_and_leaves_the_shipped_calibration(
    tmp_path: Path, announcements: Path
) -> None:
    index_dir = tmp_path / "index"
    assert zharshy("ingest", str(announcements), index_dir=index_dir).returncode == 0
    questions = tmp_path / "ours.jsonl"
    rows = [
        ("Когда начнётся заселение в общежитие?", "dorm-2025", ["2025-08-25"], "ru"),
        ("Шәкіртақы мөлшері айына қанша?", "scholarship.txt", ["85 000"], "kk"),
        ("What should students bring to move into the dormitory?", "dorm-2025", ["паспорт"], "en"),
        ("When is the chess tournament on Mars?", None, [], "en"),
        ("Сколько стоит парковка у главного корпуса?", None, [], "ru"),
    ]
    questions.write_text(
        "".join(
            json.dumps({"question": q, "doc_id": d, "answers": a, "lang": lang}) + "\n"
            for q, d, a, lang in rows
        ),
        encoding="utf-8",
    )
    shipped = Path(CALIBRATION_PATH).read_bytes()

    fitted = zharshy("eval", str(questions), "--calibrate", index_dir=index_dir)

    assert fitted.returncode == 0, fitted.stderr
    saved = json.loads((index_dir / "calibration.json").read_text(encoding="utf-8"))
    assert (saved["embedder"], saved["fitted_on"], saved["questions"]) == (
        "e5-small-q4",
        "ours.jsonl",
        5,
    )
    assert Path(CALIBRATION_PATH).read_bytes() == shipped
    status = json.loads(zharshy("status", "--json", index_dir=index_dir).stdout)
    assert status["calibration"]["path"] == str(index_dir / "calibration.json")
    # The index's own calibration answers from now on, with no warning.
    asked = zharshy("ask", "Когда заселение в общежитие?", index_dir=index_dir)
    assert asked.returncode == 0 and "warning" not in asked.stderr


def test_eval_takes_one_way_of_fitting_at_a_time(tmp_path: Path) -> None:
    result = zharshy(
        "eval",
        str(CORPUS / "questions.jsonl"),
        "--calibrate",
        "--cross-validate",
        "5",
        index_dir=tmp_path / "index",
    )
    assert result.returncode == 2
    assert "one of --calibrate, --cross-validate and --ablation" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_deals_folds_only_when_cross_validating(tmp_path: Path) -> None:
    result = zharshy(
        "eval", str(CORPUS / "questions.jsonl"), "--deals", "3", index_dir=tmp_path / "index"
    )
    assert result.returncode == 2
    assert "--deals needs --cross-validate" in result.stderr
