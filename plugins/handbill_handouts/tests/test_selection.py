import pytest

from handbill_handouts.selection import (
    SelectionError,
    absolute_post_url,
    handed_out_line,
    is_selected,
    pages_text,
    parse_handout_flag,
    parse_page_size,
    preview_height,
    readable_address,
    size_text,
    with_campaign,
)


@pytest.mark.parametrize("value", ["yes", "Yes", " TRUE ", "on", "1", True])
def test_handout_flag_yes(value):
    assert parse_handout_flag(value) is True


@pytest.mark.parametrize("value", ["no", "False", "off", "0", False])
def test_handout_flag_no(value):
    assert parse_handout_flag(value) is False


def test_handout_flag_absent():
    assert parse_handout_flag(None) is None


@pytest.mark.parametrize("value", ["maybe", "", "yes please", "2"])
def test_handout_flag_malformed_names_the_value(value):
    with pytest.raises(SelectionError, match="is not yes or no"):
        parse_handout_flag(value)


def select(flag=None, status="published", *, tags=(), category=None, select_tags=(), select_categories=()):
    return is_selected(
        flag,
        status,
        tags=list(tags),
        category=category,
        select_tags=list(select_tags),
        select_categories=list(select_categories),
    )


def test_selection_rules():
    assert select(flag=True)
    assert not select(flag=None)
    assert not select(flag=False)
    # Drafts never, even when they ask.
    assert not select(flag=True, status="draft")
    assert not select(tags=["Coffee"], select_tags=["coffee"], status="draft")
    # By tag or category, without regard to case.
    assert select(tags=["Events", "Coffee"], select_tags=["coffee"])
    assert select(category="Workshops", select_categories=["workshops"])
    assert not select(tags=["tea"], select_tags=["coffee"], category="Other", select_categories=["Workshops"])
    # An explicit "no" wins over a tag the settings select.
    assert not select(flag=False, tags=["coffee"], select_tags=["coffee"])


def test_page_sizes():
    assert parse_page_size("a4") == "A4"
    assert parse_page_size(" LETTER ") == "Letter"
    with pytest.raises(ValueError, match="unknown page size 'A5'"):
        parse_page_size("A5")


def test_addresses():
    url = absolute_post_url("https://coach.example/", "/posts/2024/hello/")
    assert url == "https://coach.example/posts/2024/hello/"
    assert readable_address(url) == "coach.example/posts/2024/hello/"
    assert with_campaign(url, None) == url
    assert (
        with_campaign(url, "chamber-breakfast-2026-12-03")
        == url + "?utm_source=handout&utm_campaign=chamber-breakfast-2026-12-03"
    )
    assert with_campaign(url + "?lang=en", "x") == url + "?lang=en&utm_source=handout&utm_campaign=x"




def test_handed_out_line():
    assert handed_out_line("Chamber breakfast", "3 December 2026") == "Handed out at Chamber breakfast, 3 December 2026"
    assert handed_out_line("Chamber breakfast", "") == "Handed out at Chamber breakfast"


def test_texts_for_readers():
    assert size_text(512) == "512 bytes"
    assert size_text(84_321) == "84 KB"
    assert size_text(1_234_567) == "1.2 MB"
    assert pages_text(1) == "1 page"
    assert pages_text(2) == "2 pages"
    assert preview_height("A4", 300) == 424
    assert preview_height("Letter", 300) == 388
