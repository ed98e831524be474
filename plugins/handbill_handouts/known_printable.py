"""Posts made printable as the last build made them, so that an unchanged post is not parsed again.

Every build makes each selected post printable (``prepare_for_print``) for its
handout's fingerprint, whether or not the handout is then rendered: parsing it
with Beautiful Soup, and importing bs4 and soupsieve first, about 50 ms of a
build with nothing to render. Each build keeps every post's PrintableContent in
``<CACHE_PATH>/handouts/printable.json`` under the SHA-256 of its HTML and
address (``handbill.core.known_results``), with what each image address it
looked up was found as. The next build takes it when the post's HTML and
address are the same and each of those addresses is found as before. The
results are made by the plugin's code, Beautiful Soup's and soupsieve's
versions and Python's (its html.parser and urllib do part of the work).
"""

import json
from pathlib import Path

from handbill.core.known_results import KeptResults

from .print_markup import Note, PrintableContent, prepare_for_print

PRINTABLE_FILE = "printable.json"
PARSING_LIBRARIES = ("beautifulsoup4", "soupsieve")


def _strings(value):
    return isinstance(value, list) and all(type(item) is str for item in value)


def _is_found(value):
    """None, or ``[local address, file]`` as an image locator finds an image (JSON keeps a pair as a list)."""
    return value is None or (_strings(value) and len(value) == 2)


def _is_note(value):
    return (
        isinstance(value, dict)
        and type(value.get("number")) is int
        and set(value) <= {"number", "label", "url", "html"}
        and all(type(value[name]) is str for name in value if name != "number")
    )


def _is_kept(value):
    """``{"content": PrintableContent as JSON, "looked_up": [[address, found], ...]}``."""
    if not isinstance(value, dict) or set(value) != {"content", "looked_up"}:
        return False
    content, looked_up = value["content"], value["looked_up"]
    return (
        isinstance(content, dict)
        and set(content) == {"html", "notes", "images", "problems"}
        and type(content["html"]) is str
        and isinstance(content["notes"], list)
        and all(_is_note(note) for note in content["notes"])
        and isinstance(content["images"], list)
        and all(_is_found(image) and image is not None for image in content["images"])
        and _strings(content["problems"])
        and isinstance(looked_up, list)
        and all(
            isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is str and _is_found(pair[1])
            for pair in looked_up
        )
    )


def _found_as_kept(found):
    return None if found is None else [str(part) for part in found]


def _printable_as_kept(content_html, page_url, locate_image):
    """``prepare_for_print``'s PrintableContent as JSON, with what each image address it looked
    up was found as."""
    looked_up = {}

    def looking_up(address):
        found = looked_up[address] = locate_image(address)
        return found

    content = prepare_for_print(content_html, page_url, looking_up)
    return {
        "content": {
            "html": content.html,
            "notes": [vars(note) for note in content.notes],
            "images": [_found_as_kept(image) for image in content.images],
            "problems": list(content.problems),
        },
        "looked_up": [[address, _found_as_kept(found)] for address, found in looked_up.items()],
    }


class KnownPrintableContent(KeptResults):
    """``prepare_for_print`` with ``locate_image``, which takes the PrintableContent the last build
    made of the same post when each image it looked up is found as then; ``save`` keeps this build's."""

    def __init__(self, cache_path, made_by, locate_image):
        super().__init__(
            Path(cache_path) / PRINTABLE_FILE,
            made_by,
            lambda asked: _printable_as_kept(*json.loads(asked), locate_image),
            _is_kept,
            what="Handouts: the printable posts",
            redone="every handout's post is made printable again",
            holds=lambda kept: all(
                _found_as_kept(locate_image(address)) == found for address, found in kept["looked_up"]
            ),
        )

    def prepared(self, content_html, page_url):
        """``prepare_for_print(content_html, page_url, locate_image)``, or what it gave the last build."""
        content = self(json.dumps([content_html, page_url], ensure_ascii=False))["content"]
        return PrintableContent(
            html=content["html"],
            notes=tuple(Note(**note) for note in content["notes"]),
            images=tuple((address, Path(path)) for address, path in content["images"]),
            problems=tuple(content["problems"]),
        )
