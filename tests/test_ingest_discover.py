"""Walking an ingest folder: stable order, hidden and ignored files, symlinks, odd types."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.loaders import SUPPORTED_SUFFIXES, discover_files


def _touch(path: Path, text: str = "Объявление.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _relative(paths: list[Path], root: Path) -> list[str]:
    return [path.relative_to(root).as_posix() for path in paths]


def test_finds_supported_files_recursively_in_stable_order(tmp_path: Path) -> None:
    for name in ["b.md", "a.txt", "news/2025/c.pdf", "news/a.html", "z.jsonl", "news/d.docx"]:
        _touch(tmp_path / name)
    files, problems = discover_files(tmp_path)
    assert _relative(files, tmp_path) == [
        "a.txt",
        "b.md",
        "news/2025/c.pdf",
        "news/a.html",
        "news/d.docx",
        "z.jsonl",
    ]
    assert problems == []
    assert discover_files(tmp_path) == (files, problems)


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    _touch(tmp_path / "visible.txt")
    _touch(tmp_path / ".hidden.txt")
    _touch(tmp_path / ".git" / "notes.txt")
    files, problems = discover_files(tmp_path)
    assert _relative(files, tmp_path) == ["visible.txt"]
    assert problems == []


def test_unsupported_types_are_reported_with_the_supported_list(tmp_path: Path) -> None:
    _touch(tmp_path / "a.txt")
    _touch(tmp_path / "budget.xlsx")
    _touch(tmp_path / "README")
    files, problems = discover_files(tmp_path)
    assert _relative(files, tmp_path) == ["a.txt"]
    reasons = {Path(problem.path).name: problem.reason for problem in problems}
    assert reasons["budget.xlsx"].startswith("unsupported file type '.xlsx' (supported: ")
    assert all(suffix in reasons["budget.xlsx"] for suffix in SUPPORTED_SUFFIXES)
    assert "no extension" in reasons["README"]


def test_suffixes_are_matched_case_insensitively(tmp_path: Path) -> None:
    _touch(tmp_path / "SCAN.PDF")
    files, problems = discover_files(tmp_path)
    assert _relative(files, tmp_path) == ["SCAN.PDF"]
    assert problems == []


def test_zharshyignore_is_honoured(tmp_path: Path) -> None:
    _touch(
        tmp_path / ".zharshyignore",
        "# dev questions are not announcements\nquestions.jsonl\ndrafts/\n*.bak.md\n",
    )
    _touch(tmp_path / "questions.jsonl", '{"question": "?"}\n')
    _touch(tmp_path / "announcements.jsonl", '{"text": "Объявление."}\n')
    _touch(tmp_path / "drafts" / "draft.md")
    _touch(tmp_path / "news" / "old.bak.md")
    _touch(tmp_path / "news" / "new.md")
    files, problems = discover_files(tmp_path)
    assert _relative(files, tmp_path) == ["announcements.jsonl", "news/new.md"]
    assert problems == []


def test_symlink_loop_is_reported_once_and_walk_terminates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _touch(corpus / "a.txt")
    _touch(corpus / "sub" / "b.txt")
    os.symlink(corpus, corpus / "loop")
    os.symlink(corpus, corpus / "sub" / "back")
    files, problems = discover_files(corpus)
    assert _relative(files, corpus) == ["a.txt", "sub/b.txt"]
    loops = [problem for problem in problems if problem.reason.startswith("symlink loop")]
    assert {Path(problem.path).name for problem in loops} == {"loop", "back"}


def test_symlinks_to_files_and_folders_are_followed(tmp_path: Path) -> None:
    outside = tmp_path / "shared"
    _touch(outside / "rules.md")
    _touch(tmp_path / "elsewhere.txt")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "shared")
    os.symlink(tmp_path / "elsewhere.txt", corpus / "linked.txt")
    os.symlink(tmp_path / "missing.txt", corpus / "broken.txt")
    files, problems = discover_files(corpus)
    assert _relative(files, corpus) == ["linked.txt", "shared/rules.md"]
    assert [(Path(p.path).name, p.reason.split(";")[0]) for p in problems] == [
        ("broken.txt", "broken symlink")
    ]


def test_a_file_root_is_returned_as_is(tmp_path: Path) -> None:
    path = _touch(tmp_path / "one.txt")
    assert discover_files(path) == ([path], [])


def test_missing_root_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    files, problems = discover_files(tmp_path / "nope")
    assert files == []
    assert [problem.reason for problem in problems] == ["no such file or folder"]


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    _touch(locked / "a.txt")
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        # Permissions do not stop root (who runs CI), so the refusal is simulated.
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = discover_files(tmp_path)
    assert files == []
    assert problems and problems[0].reason.startswith("cannot read folder")
