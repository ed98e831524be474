"""handout:// addresses: parsed, joined and served without touching urllib.parse."""

import urllib.parse

import pytest

from handbill_handouts.addresses import AddressError, join_local_url, local_url, split_local_url

LOGO = "handout://logo/brand/logo.svg"


def test_an_address_names_a_folder_and_a_path_in_it():
    assert local_url("content", "images/a b.png") == "handout://content/images/a%20b.png"
    assert split_local_url("handout://content/images/a%20b.png") == ("content", "images/a b.png")
    assert split_local_url("handout://content/images/./x/../a.png#top") == ("content", "images/a.png")
    assert split_local_url("handout://content/") == ("content", "")


@pytest.mark.parametrize(
    "url",
    [
        "handout://content/../secret.txt",
        "handout://content/images/../../secret.txt",
        "handout://content/%2e%2e/secret.txt",
        "handout://content/images/..%2F..%2Fsecret.txt",
    ],
)
def test_an_address_outside_its_folder_is_refused(url):
    with pytest.raises(AddressError, match="outside its folder"):
        split_local_url(url)


def test_other_addresses_are_not_local():
    for url in ("https://example.org/a.png", "file:///etc/passwd", "handout:/content/a.png"):
        with pytest.raises(AddressError):
            split_local_url(url)
    with pytest.raises(AddressError, match="no folder"):
        split_local_url("handout:///a.png")


def test_relative_references_join_inside_the_folder():
    assert join_local_url(LOGO, "mark.png") == "handout://logo/brand/mark.png"
    assert join_local_url(LOGO, "./parts/mark%20b.png?v=2#x") == "handout://logo/brand/parts/mark%20b.png#x"
    assert join_local_url(LOGO, "../mark.png") == "handout://logo/mark.png"
    assert join_local_url(LOGO, "/mark.png") == "handout://logo/mark.png"  # the folder is the root


def test_references_that_are_not_relative_paths_are_kept():
    for reference in ("#gradient", "", "data:image/png;base64,AAAA", "https://example.org/a.png", "//cdn.example/a"):
        assert join_local_url(LOGO, reference) == reference


def test_a_reference_climbing_out_of_the_folder_is_refused():
    with pytest.raises(AddressError, match="outside its folder"):
        join_local_url(LOGO, "../../secret.png")
    with pytest.raises(AddressError, match="outside its folder"):
        join_local_url(LOGO, "%2e%2e/%2e%2e/secret.png")


def test_urllib_parse_is_left_as_it_was():
    schemes = (list(urllib.parse.uses_relative), list(urllib.parse.uses_netloc))
    from handbill_handouts import fetcher  # noqa: F401 - importing it once patched urllib.parse

    assert (urllib.parse.uses_relative, urllib.parse.uses_netloc) == schemes
    assert "handout" not in urllib.parse.uses_relative
