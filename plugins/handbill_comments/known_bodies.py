"""Comment bodies as the last build rendered them, so that an unchanged body is not rendered again.

Rendering a body (the Markdown subset, nh3's sanitizing, then ``render_body``'s
checks) is most of what comments cost a build, in the build's own process:
0.2 s at 1,000 posts with 300 comments, a tenth of a no-change build. Each
build keeps every verdict of ``render_body``, the body's safe HTML or why it is
held, in ``<CACHE_PATH>/handbill_comments/bodies.json`` under the SHA-256 of
the body's text (``handbill.core.known_results``). They are made by a digest
of the project's own code, every installed distribution's version and Python's
(``handbill.core.fingerprint``): a change to the Markdown subset, the
sanitizer, any check or a library renders every body again.
"""

import sys
from pathlib import Path

from handbill.core.fingerprint import content_fingerprint
from handbill.core.known_results import KeptResults

from .rendering import render_body

BODIES_FILE = Path("handbill_comments") / "bodies.json"


def rendering_digest():
    """The project's code (the packages of every local module loaded), the installed
    distributions and Python's version: what a body's rendering may depend on."""
    return content_fingerprint({"python": sys.version})


def _is_verdict(value):
    """``[html, None]`` or ``[None, reason]``, as JSON keeps ``render_body``'s pair."""
    if not isinstance(value, list) or len(value) != 2:
        return False
    html, reason = value
    return (type(html) is str and reason is None) or (html is None and type(reason) is str)


class KnownBodies(KeptResults):
    """``render_body`` with ``renderer`` (rendering.BodyRenderer), which takes the verdict the
    last build gave a body of the same text; ``save`` keeps this build's for the next."""

    def __init__(self, pelican_settings, renderer, made_by):
        super().__init__(
            Path(pelican_settings["CACHE_PATH"]) / BODIES_FILE,
            made_by,
            lambda text: list(render_body(renderer, text)),
            _is_verdict,
            what="Comments: the rendered bodies",
            redone="every comment body is rendered again",
        )

    def __call__(self, text):
        """``(html, None)`` for a body fit to publish, else ``(None, why it is held)``."""
        return tuple(super().__call__(text))
