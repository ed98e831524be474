"""Fixtures for tests that look at pages as a visitor does: a real HTTP server
on 127.0.0.1 and Debian's headless Chromium driven by Playwright.

Registered as a pytest plugin (see pyproject.toml).
"""

import functools
import http.server
import threading

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for Google's services at start, which this
# closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve_directory(directory):
    """Serve ``directory`` on a free port of 127.0.0.1; returns (base_url, server)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture
def static_server():
    """``static_server(directory)`` → base URL of a real HTTP server for that folder."""
    servers = []

    def _serve(directory):
        base_url, server = serve_directory(directory)
        servers.append(server)
        return base_url

    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium):
    """``open_page(url, width)`` → (Playwright page, list of console errors)."""
    contexts = []

    def _open(url, width, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(url)
        assert response.ok, f"{url}: HTTP {response.status}"
        page.wait_for_load_state("networkidle")
        return page, errors

    yield _open
    for context in contexts:
        context.close()
