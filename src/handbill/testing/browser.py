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


# The contrast of every visible text of the page's own (body text, links, controls) against
# its first opaque ancestor's background, from the computed colours (WCAG 2 formula). Computed
# colours may be in any space (color-mix() gives oklab), so a canvas turns them into sRGB.
TEXT_CONTRASTS_JS = """
() => {
  const context = Object.assign(document.createElement('canvas'), {width: 1, height: 1})
    .getContext('2d', {willReadFrequently: true});
  const rgba = colour => {
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = colour;
    context.fillRect(0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data];
  };
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 255];
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || el.offsetParent === null) continue;
    if (el.closest('.visually-hidden, .skip-link')) continue;
    const [a, b] = [luminance(rgba(style.color)), luminance(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push({element: el.tagName + '.' + el.className, link: !!el.closest('a'), ratio});
  }
  return out;
}
"""


def text_contrasts(page):
    """[{element, link, ratio}] for every visible text of the page's own (``TEXT_CONTRASTS_JS``)."""
    return page.evaluate(TEXT_CONTRASTS_JS)
