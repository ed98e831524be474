"""The ``SEARCH`` setting, read once per build (its table in README.md is generated from here)."""

from dataclasses import dataclass
from pathlib import PurePosixPath

from handbill.core.settings import at_least, collect_settings, matches, setting


def _folder_inside_output(value):
    parts = PurePosixPath(value).parts
    if not value.strip("/") or value.startswith("/") or ".." in parts:
        return f"must be a folder inside the output, not {value!r}"
    return None


def _page_address(value):
    if value.startswith("/") or ".." in PurePosixPath(value).parts:
        return f"must be an address relative to the site, not {value!r}"
    return None


def _page_file(value):
    if not value.endswith(".html") or value.startswith("/") or ".." in PurePosixPath(value).parts:
        return f"must be an .html file inside the output, not {value!r}"
    return None


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool = setting(
        True,
        "`False`: no index, no search page and no search box in the header",
        example=False,
    )
    output_dir: str = setting(
        "pagefind",
        "folder in the output for Pagefind's index and scripts",
        _folder_inside_output,
        example="assets/pagefind",
    )
    page_url: str = setting(
        "search/",
        "address of the search page, which the header's search box submits to (`?q=`)",
        _page_address,
        example="find/",
    )
    page_save_as: str = setting(
        "search/index.html",
        "file of the search page in the output",
        _page_file,
        example="find/index.html",
    )
    exclude_selectors: tuple[str, ...] = setting(
        (".headerlink", ".footnote-ref", ".footnote-backref", ".figure-link__hint"),
        "CSS selectors of what Pagefind leaves out of a page's text: by default the `#` links of "
        "headings and the footnotes' numbers and back-links, which Python-Markdown adds, and the "
        "figures' \"open full size\" hints (handbill_figure_links)",
        expect="a list of CSS selectors",
        example=[".headerlink", ".sidenote"],
    )
    part_pages: int = setting(
        500,
        "most pages in one part of the index: a site with more is indexed in parts of about this many "
        "pages, by Pagefind runs side by side (one per core), and the search page searches them all; "
        "fewer pages a part hold less memory while the index is made, and take more requests for a search",
        at_least(1),
        example=2000,
    )
    force_language: str | None = setting(
        None,
        "one index for every page, in this language (ISO 639-1); `None`: one index per language, "
        "from each page's `lang`",
        matches(r"[a-z]{2}(?:-[A-Za-z0-9]+)*", "a language code such as \"en\" or \"pt-br\""),
        example="en",
    )


def read_search_settings(settings):
    """``(SearchSettings, problems)`` from the Pelican settings; a bad value keeps its default."""
    return collect_settings(SearchSettings, settings.get("SEARCH"), "SEARCH")
