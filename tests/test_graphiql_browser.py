"""GraphiQL in a real browser (Debian's chromium, driven by Playwright): a bearer token pasted
into Headers is used, and reaches no browser storage. GraphiQL's History saves every run with
its headers unless told otherwise (app/graphiql/header-free-storage.js): after a reload, in a
new page of the same profile, or from the History, the token must not come back.

Slow: it starts the README's server and a browser. `python3 dev.py test` installs chromium.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Response, sync_playwright

from tests.test_end_to_end import server

pytestmark = pytest.mark.slow
__all__ = ["server"]  # the README's server, started once for this module

# As the machine's documentation asks of a headless chromium here: no sandbox (root), and no
# background networking (the network is closed; it would only fail, many times over).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Everything a page can keep: local and session storage, and every IndexedDB record.
STORAGE = """async () => {
  const kept = {local: {...localStorage}, session: {...sessionStorage}, indexedDB: []};
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, no) => {
      const open = indexedDB.open(info.name);
      open.onsuccess = () => ok(open.result);
      open.onerror = () => no(open.error);
    });
    for (const store of db.objectStoreNames) {
      const all = db.transaction(store).objectStore(store).getAll();
      kept.indexedDB.push(await new Promise((ok) => { all.onsuccess = () => ok(all.result); }));
    }
    db.close();
  }
  return JSON.stringify(kept);
}"""
HEADERS_EDITOR = ".graphiql-editor-tool .CodeMirror:visible"
ME = "query Me { me { givenName } }"


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: `python3 dev.py test` installs it")
    with sync_playwright() as driver:
        yield driver


def browser(playwright: Playwright, profile: Path) -> BrowserContext:
    """A browser on a profile of its own: what it keeps survives closing it, as a user's."""
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
    )


def open_graphiql(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(f"{url}/graphql")
    page.wait_for_selector(".graphiql-container")
    return page


def run(page: Page, query: str, headers: str | None = None) -> Response:
    """Runs `query` with the Run button, `headers` pasted into the Headers editor first; the
    request as it went out and its answer."""
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.evaluate("(editor, text) => editor.CodeMirror.setValue(text)", query)
    # GraphiQL learns the operation's name from the text a moment later; until then it would
    # send the name of the document before (a restored tab's "Workspace").
    name = query.split()[1]
    page.wait_for_function(
        "([editor, name]) => editor.CodeMirror.operationName === name",
        arg=[editor.element_handle(), name],
    )
    if headers is not None:
        page.locator(HEADERS_EDITOR).click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(headers)  # as a paste: no key events, no auto-closed quotes
    ran = json.dumps(query)  # not GraphiQL's own introspection, which may still be under way
    with page.expect_response(lambda r: ran in (r.request.post_data or "")) as sent:
        page.click('button[aria-label="Execute query (Ctrl-Enter)"]')
    page.wait_for_selector(".result-window .CodeMirror-line:has-text('{')")
    return sent.value


def headers_shown(page: Page) -> str:
    return str(page.locator(HEADERS_EDITOR).evaluate("editor => editor.CodeMirror.getValue()"))


def test_a_pasted_token_is_used_and_kept_in_no_storage(
    server: tuple[str, str], playwright: Playwright, tmp_path: Path
) -> None:
    url, token = server
    profile = tmp_path / "profile"
    context = browser(playwright, profile)
    page = open_graphiql(context, url)
    answer = run(page, ME, json.dumps({"Authorization": f"Bearer {token}"}))
    assert answer.request.headers["authorization"] == f"Bearer {token}"
    assert answer.json()["data"] == {"me": {"givenName": "Anna"}}
    assert "Anna" in page.locator(".result-window").inner_text()
    assert token not in page.evaluate(STORAGE)

    page.reload()
    page.wait_for_selector(".graphiql-container")
    assert token not in headers_shown(page)
    page.click('button[aria-label="Show History"]')
    page.click(".graphiql-history-item-label")  # the run, from History
    assert ME in page.locator(".graphiql-query-editor").inner_text()
    assert token not in headers_shown(page)
    assert token not in page.evaluate(STORAGE)
    context.close()

    signature = token.rsplit(".", 1)[1]
    for file in profile.rglob("*"):  # nothing the browser wrote to disk holds it
        if file.is_file():
            assert signature.encode() not in file.read_bytes(), file

    context = browser(playwright, profile)  # a new page in the same profile
    page = open_graphiql(context, url)
    assert token not in headers_shown(page)
    answer = run(page, ME)
    assert "authorization" not in answer.request.headers  # it runs as no one
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    context.close()


def test_headers_an_older_page_left_in_storage_are_scrubbed(
    server: tuple[str, str], playwright: Playwright, tmp_path: Path
) -> None:
    """A profile that used GraphiQL before this page kept headers: they go at the first load."""
    url, token = server
    context = browser(playwright, tmp_path / "profile")
    page = context.new_page()
    page.goto(f"{url}/healthz")  # the same origin, without GraphiQL
    poisoned = {"query": ME, "headers": json.dumps({"Authorization": f"Bearer {token}"})}
    page.evaluate(
        "(entry) => localStorage.setItem('graphiql:queries', JSON.stringify({queries: [entry]}))",
        poisoned,
    )
    page.goto(f"{url}/graphql")
    page.wait_for_selector(".graphiql-container")
    assert token not in page.evaluate(STORAGE)
    page.click('button[aria-label="Show History"]')
    page.click(".graphiql-history-item-label")
    assert token not in headers_shown(page)
    context.close()
