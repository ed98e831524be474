"""What the browser is sent: the reload script in every HTML response, the
events it listens to, and whether a change concerns the page it shows.

Plain functions; the server (server.py) does the I/O.
"""

import json
import posixpath
import re
from urllib.parse import unquote

EVENTS_PATH = "/__handbill/events"

# Non-HTML files a page loads: when one changes, every page reloads.
PAGE_ASSET = re.compile(r"\.(css|js|mjs|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf)$", re.IGNORECASE)

OVERLAY_ID = "handbill-livereload-failure"

# Listens for the server's events: "reload" reloads the page; "failure" shows
# what failed over the page (which stays the last good one); "hello" names the
# build, so a page that reconnects to a newer build than it was loaded from
# (the server restarted, or it missed an event) reloads too.
CLIENT_SCRIPT = """\
<script id="handbill-livereload">
(function () {
  var firstBuild = null;
  var source = new EventSource("__EVENTS__?page=" + encodeURIComponent(location.pathname));
  function showFailure(failures) {
    var box = document.getElementById("__OVERLAY__");
    if (!box) {
      box = document.createElement("div");
      box.id = "__OVERLAY__";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:60vh;" +
        "overflow:auto;margin:0;padding:1em 1.5em;background:#fff4f4;color:#7a0000;" +
        "border-bottom:4px solid #b00020;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;" +
        "box-shadow:0 2px 12px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "The last save did not build; this page is the last good one.\\n\\n" +
      failures.join("\\n");
  }
  source.addEventListener("hello", function (event) {
    var build = JSON.parse(event.data).build;
    if (firstBuild === null) { firstBuild = build; } else if (build !== firstBuild) { location.reload(); }
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failure", function (event) { showFailure(JSON.parse(event.data).failures); });
})();
</script>
""".replace("__EVENTS__", EVENTS_PATH).replace("__OVERLAY__", OVERLAY_ID)

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject_script(html, script=CLIENT_SCRIPT):
    """``html`` (bytes) with ``script`` before its last ``</body>``, or at its end when it has none."""
    encoded = script.encode("utf-8")
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + encoded
    at = ends[-1].start()
    return html[:at] + encoded + html[at:]


def sse_message(event, data):
    """One Server-Sent Event: ``event`` named, ``data`` as one line of JSON."""
    return f"event: {event}\ndata: {json.dumps(data, sort_keys=True)}\n\n".encode()


def files_for_url(url_path):
    """The output files (relative, "/"-separated) that may answer ``url_path``,
    in the order the server tries them (Pelican's ComplexHTTPRequestHandler's
    suffixes): "/a/b/" → a/b/index.html; "/a/b" → a/b.html, a/b/index.html, a/b."""
    raw = url_path.split("?", 1)[0].split("#", 1)[0]
    trailing = raw.endswith("/")
    parts = [part for part in posixpath.normpath(unquote(raw)).split("/") if part not in ("", ".", "..")]
    base = "/".join(parts)
    if not base:
        return ("index.html",)
    if trailing:
        return (f"{base}/index.html",)
    return (f"{base}.html", f"{base}/index.html", base)


def page_is_affected(url_path, changed):
    """Whether a page shown at ``url_path`` must reload after the output files
    ``changed`` (relative paths) changed: its own file did, or a file pages load."""
    own = set(files_for_url(url_path))
    return any(path in own or PAGE_ASSET.search(path) for path in changed)
