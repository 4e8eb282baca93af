"""The staff page in a real headless Chromium (Debian's, driven by Playwright; no browser is
downloaded), against the real server over the default corpus (`live_server` in conftest.py).

Screenshots go to test-output/browser/ in the repository root.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LUBAN_RU = "Когда ALT University получил проект «Мастерская Лу Бань»?"
SEED_TITLE = "Посол КНР Хань Чуньлин посетил ALT University"
XSS_ID = "xss-test"
XSS = "<script>alert(1)</script>"
XSS_DOCUMENT = {
    "id": XSS_ID,
    "title": f"Security {XSS}",
    "text": f"The exam schedule changed. {XSS} Check the portal.",
    "lang": "en",
    "date": "2026-01-10",
}
# Answers take well under a second; the first one also warms the model up.
ANSWER_TIMEOUT_MS = 60_000


class Tab:
    """One browser page on the server, recording what should never happen: dialogs, page
    errors and requests leaving the machine."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        host = urlsplit(base_url).hostname

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_request(request: Any) -> None:
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and (
                urlsplit(request.url).hostname != host
            ):
                self.outside.append(request.url)

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", on_request)
        page.set_default_timeout(30_000)
        page.goto(base_url + "/")
        page.locator("#zh-question textarea").wait_for()

    def ask(self, question: str, filters: str = "") -> Any:
        """Ask, wait for the answer card to this question (with these filters), return it."""
        self.page.locator("#zh-question textarea").fill(question)
        self.page.locator("#zh-ask").click()
        self.page.wait_for_function(
            """([question, filters]) => {
                const card = document.querySelector('#zh-answer .zh-answer');
                return card && card.dataset.question === question
                    && card.dataset.filters === filters;
            }""",
            arg=[question, filters],
            timeout=ANSWER_TIMEOUT_MS,
        )
        return self.page.locator("#zh-answer .zh-answer")

    def open_filters(self) -> None:
        """The filters sit in an accordion, closed when the page opens."""
        if not self.page.locator("#zh-filter-lang").is_visible():
            self.page.locator("#zh-filters").get_by_text("Filters").first.click()
        self.page.locator("#zh-filter-lang").wait_for(state="visible")

    def sources(self) -> Any:
        return self.page.locator("#zh-sources .zh-source")

    def screenshot(self, name: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.errors == [], f"errors in the page: {self.errors}"
        assert self.outside == [], f"the page reached beyond the server: {self.outside}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's chromium is missing ({CHROMIUM}): `make test` installs it "
            "(apt-get install chromium); no browser is ever downloaded by Playwright"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: `make test` installs the test extra")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def desktop(browser: Any, live_server: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    yield Tab(context.new_page(), live_server.url)
    context.close()


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Tab]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
    )
    yield Tab(context.new_page(), live_server.url)
    context.close()


def _api(live_server: Any, method: str, path: str, body: object | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{live_server.url}{path}",
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {live_server.api_key}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


@pytest.fixture
def xss_document(live_server: Any) -> Iterator[str]:
    """An announcement carrying a script, posted through the API and removed afterwards."""
    result = _api(live_server, "POST", "/api/documents", XSS_DOCUMENT)
    assert {"id": XSS_ID, "status": "added"} in result["documents"], result
    yield XSS_ID
    try:
        _api(live_server, "DELETE", f"/api/documents/{quote(XSS_ID)}")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404, exc  # the test deleted it through the page already


def test_answer_cites_the_seed_and_highlights_the_span(desktop: Tab) -> None:
    card = desktop.ask(LUBAN_RU)
    assert card.get_attribute("data-answered") == "true"
    assert "2025" in card.locator(".zh-answer-text").inner_text()
    assert "2025" in card.locator("mark.zh-span").inner_text()
    assert card.locator(".zh-confidence").inner_text().strip() != ""
    titles = desktop.page.locator("#zh-sources .zh-source-title").all_inner_texts()
    assert SEED_TITLE in [title.strip() for title in titles], titles
    seed = desktop.sources().filter(has_text=SEED_TITLE)
    assert "2025" in seed.locator("mark.zh-cite").first.inner_text()
    desktop.screenshot("desktop-answer.png")
    desktop.assert_clean()


def test_language_filter_lists_only_kazakh_sources(desktop: Tab) -> None:
    desktop.open_filters()
    desktop.page.locator('#zh-filter-lang input[value="kk"]').check()
    desktop.page.locator("#zh-filters", has_text="Filters (1)").wait_for()
    desktop.ask(LUBAN_RU, filters="lang=kk")
    sources = desktop.sources()
    assert sources.count() > 0
    languages = sources.locator(".zh-source-lang").all_inner_texts()
    assert languages and all(lang.strip() == "kk" for lang in languages), languages
    assert [s.get_attribute("data-lang") for s in sources.all()] == ["kk"] * sources.count()
    assert "kk" in desktop.page.locator("#zh-answer .zh-active-filters").inner_text()
    desktop.assert_clean()


def test_a_bad_date_is_explained_not_sent(desktop: Tab) -> None:
    desktop.open_filters()
    desktop.page.locator("#zh-filter-since textarea, #zh-filter-since input").first.fill(
        "10.01.2026"
    )
    desktop.page.locator("#zh-question textarea").fill(LUBAN_RU)
    desktop.page.locator("#zh-ask").click()
    message = desktop.page.locator("#zh-filter-message .zh-msg-error")
    message.wait_for()
    assert "YYYY-MM-DD" in message.inner_text()
    assert desktop.page.locator("#zh-answer .zh-answer").count() == 0
    desktop.assert_clean()


def test_script_in_an_announcement_is_shown_as_text(
    desktop: Tab, live_server: Any, xss_document: str
) -> None:
    desktop.ask("exam schedule changed portal")
    source = desktop.page.locator(f'#zh-sources .zh-source[data-doc-id="{xss_document}"]')
    source.wait_for()
    assert source.locator(".zh-source-title").inner_text().strip() == XSS_DOCUMENT["title"]
    assert XSS in source.locator(".zh-passage").inner_text()
    assert desktop.page.locator("#zh-answer script, #zh-sources script").count() == 0
    desktop.screenshot("desktop-escaped-script.png")

    # The admin tab: a wrong key is refused; the right one deletes the announcement.
    page = desktop.page
    page.get_by_role("tab", name="Admin").click()
    page.locator("#zh-status .zh-status").wait_for()
    assert "e5" in page.locator('#zh-status tr[data-key="st_embedder"]').inner_text()
    page.locator("#zh-delete-id textarea, #zh-delete-id input").first.fill(xss_document)
    page.locator("#zh-api-key input").fill("not-the-key-at-all")
    page.locator("#zh-delete").click()
    refused = page.locator("#zh-delete-message .zh-msg-error")
    refused.wait_for()
    assert "key" in refused.inner_text().lower()
    page.locator("#zh-api-key input").fill(live_server.api_key)
    page.locator("#zh-delete").click()
    page.locator("#zh-delete-message .zh-msg:not(.zh-msg-error)").wait_for()
    assert xss_document in page.locator("#zh-delete-message").inner_text()
    desktop.assert_clean()


def test_upload_through_the_admin_tab(desktop: Tab, live_server: Any, tmp_path: Path) -> None:
    note = tmp_path / "library-hours.md"
    note.write_text(
        "---\nid: browser-upload\ntitle: Library hours in January\nlang: en\n"
        "date: 2026-01-05\ncategory: campus\n---\n"
        "The library is open from 9:00 to 21:00 during the January exam session.\n",
        encoding="utf-8",
    )
    page = desktop.page
    page.get_by_role("tab", name="Admin").click()
    page.locator("#zh-api-key input").fill(live_server.api_key)
    page.locator("#zh-upload-files input[type=file]").set_input_files(str(note))
    # Gradio uploads the file to the server before it lists it: as slow as an answer on a busy
    # machine.
    page.locator("#zh-upload-files").get_by_text("library-hours.md").first.wait_for(
        timeout=ANSWER_TIMEOUT_MS
    )
    page.locator("#zh-upload").click()
    row = page.locator('#zh-upload-table tr[data-result="added"]')
    row.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "browser-upload" in row.inner_text()
    page.locator("#zh-status .zh-status").wait_for()
    desktop.screenshot("desktop-admin.png")
    _api(live_server, "DELETE", "/api/documents/browser-upload")
    desktop.assert_clean()


def test_russian_labels_and_phone_width(phone: Tab) -> None:
    page = phone.page
    page.get_by_text("Русский", exact=True).click()
    page.locator("#zh-ask", has_text="Спросить").wait_for()
    page.get_by_role("tab", name="Администрирование").wait_for()
    card = phone.ask("when was the Luban workshop awarded?")
    assert "2025" in card.inner_text()
    assert "Уверенность" in card.inner_text()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone screen"
    phone.screenshot("phone-answer.png")
    phone.assert_clean()
