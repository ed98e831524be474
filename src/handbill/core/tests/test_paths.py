"""Redirect paths: one normaliser for the redirects plugin and the importer."""

from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from handbill.core.paths import (
    RedirectPathError,
    normalise_path,
    parse_redirect_path,
    redirect_path_of_url,
    save_as_for,
)

# Path-ish text: separators, dots, percent signs and characters that need encoding.
path_text = st.text(alphabet=st.sampled_from("ab/.%2Ffé ?#:@~+-_"), max_size=30) | st.text(max_size=20)
segment = st.text(alphabet=st.sampled_from("abcé-_.~%20"), min_size=1, max_size=8).filter(
    lambda text: text not in {".", ".."}
)


@given(path_text)
@example("/blog/café.html")
@example("/%2e%2e/x")
def test_normalising_twice_changes_nothing(path):
    once = normalise_path(path)
    assert normalise_path(once) == once


@given(path_text)
def test_a_normalised_path_decodes_to_what_the_original_decodes_to(path):
    assert unquote(normalise_path(path)) == unquote(path)


@given(path_text)
@example("/%2Fhost/x")
@example("/a/%2e%2e/b")
def test_accepted_paths_are_accepted_again_unchanged_and_stay_in_the_site(path):
    try:
        parsed = parse_redirect_path(path)
    except RedirectPathError:
        return
    assert parse_redirect_path(parsed) == parsed
    parts = urlsplit(parsed)
    assert not (parts.scheme or parts.netloc or parts.query or parts.fragment)
    assert parsed.startswith("/") and not unquote(parsed).startswith("//")
    assert ".." not in unquote(parsed).split("/")
    assert not save_as_for(parsed).startswith("/")


@given(st.lists(segment, min_size=1, max_size=4), st.sampled_from(["..", "%2e%2e", "%2E."]), st.booleans())
def test_any_dot_dot_segment_is_refused(segments, dots, trailing_slash):
    position = len(segments) // 2
    path = "/" + "/".join([*segments[:position], dots, *segments[position:]]) + ("/" if trailing_slash else "")
    with pytest.raises(RedirectPathError, match=r"'\.\.'"):
        parse_redirect_path(path)
    assert redirect_path_of_url("https://old.example.com" + path) is None


@given(st.sampled_from(["http", "https", "ftp", "javascript"]), st.lists(segment, min_size=1, max_size=3))
def test_addresses_with_a_scheme_or_host_are_refused(scheme, segments):
    rest = "/".join(segments)
    for value in (f"{scheme}://old.example.com/{rest}", f"//old.example.com/{rest}", f"{scheme}:/{rest}"):
        with pytest.raises(RedirectPathError):
            parse_redirect_path(value)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://old.example.com/2019/05/06/hello-world/", "/2019/05/06/hello-world/"),
        (" https://old.example.com/blog/café.html ", "/blog/caf%C3%A9.html"),
        ("https://old.example.com/post/#comments", "/post/"),
        ("https://old.example.com/?p=12", None),
        ("https://old.example.com/", None),
        ("https://old.example.com", None),
        ("https://old.example.com/a/../b/", None),
    ],
)
def test_the_importer_keeps_only_paths_the_build_accepts(url, path):
    assert redirect_path_of_url(url) == path
    if path is not None:
        assert parse_redirect_path(path) == path
