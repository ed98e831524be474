import pytest

from handbill_handouts.settings import HandoutSettingsError, read_settings, requested_selection

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.fixture
def site(tmp_path):
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "logo.svg").write_text(LOGO)

    def settings(handouts=None, brand=None, **extra):
        return {
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "SITEURL": "",
            "AUTHOR": "Dana Whitfield",
            "HANDOUTS": handouts or {},
            "BRAND": {"website": "https://coach.example", "logo": "images/logo.svg", **(brand or {})},
            **extra,
        }

    settings.content = tmp_path / "content"
    return settings


def problems(settings):
    with pytest.raises(HandoutSettingsError) as raised:
        read_settings(settings)
    return raised.value.problems


def test_defaults(site):
    values = read_settings(site())
    assert values.output_dir == "handouts"
    assert values.page_size == "A4"
    assert values.page_budget == 2
    assert values.pdf_variant is None
    assert values.workers >= 1
    assert values.brand.name == "Dana Whitfield"  # from AUTHOR
    assert values.brand.logo_file == site.content / "images" / "logo.svg"
    assert values.brand.logo_bytes == LOGO.encode()
    assert values.event is None and values.print_pack is False


def test_qr_address_prefers_an_absolute_siteurl(site):
    assert read_settings(site()).site_url == "https://coach.example"
    assert read_settings(site(handouts={"site_url": "https://blog.example/dana/"})).site_url == (
        "https://blog.example/dana"
    )
    assert read_settings(site(SITEURL="https://live.example")).site_url == "https://live.example"


def test_no_absolute_address_for_the_qr_code(site):
    settings = site(brand={"website": ""})
    assert any('HANDOUTS["site_url"]' in problem for problem in problems(settings))


def test_missing_logo_names_the_setting_and_file(site):
    (problem,) = problems(site(brand={"logo": "images/nope.svg"}))
    assert problem.startswith('BRAND["logo"]')
    assert "nope.svg" in problem


def test_the_owners_photo_is_read_like_the_logo(site):
    (site.content / "images" / "portrait.svg").write_text(LOGO)
    values = read_settings(site(brand={"photo": "images/portrait.svg"}))
    assert values.brand.photo_file == site.content / "images" / "portrait.svg"
    assert values.brand.photo_bytes == LOGO.encode()
    (problem,) = problems(site(brand={"photo": "images/me.jpg"}))
    assert problem.startswith('BRAND["photo"]') and "me.jpg" in problem


def test_unreadable_logo(site):
    (problem,) = problems(site(brand={"logo": "images"}))  # a folder cannot be read as a file
    assert problem.startswith('BRAND["logo"]') and "cannot read" in problem


def test_logo_must_really_be_svg_or_png(site):
    (site.content / "images" / "fake.svg").write_text("hello")
    (site.content / "images" / "fake.png").write_text("hello")
    (site.content / "images" / "logo.gif").write_bytes(b"GIF89a")
    assert "not a readable SVG" in problems(site(brand={"logo": "images/fake.svg"}))[0]
    assert "not a PNG" in problems(site(brand={"logo": "images/fake.png"}))[0]
    assert ".svg or .png" in problems(site(brand={"logo": "images/logo.gif"}))[0]


def test_bad_values_are_all_reported_by_name(site):
    found = problems(
        site(
            handouts={"page_size": "A5", "page_budget": 0, "pdf_variant": "pdf/x-9", "colour": "red"},
            brand={"accent_color": "blue; }", "fonts": {"body": 'Evil"Font'}},
            HANDOUT_EVENT={"name": "Breakfast", "date": "3/12/2026"},  # now an event's slug
        )
    )
    for setting in (
        'HANDOUTS["page_size"]',
        'HANDOUTS["page_budget"]',
        'HANDOUTS["pdf_variant"]',
        'HANDOUTS["colour"]',
        'BRAND["accent_color"]',
        'BRAND["fonts"]["body"]',
        "HANDOUT_EVENT",
    ):
        assert any(problem.startswith(setting) for problem in found), (setting, found)


def test_event_is_the_slug_of_the_event_to_pack(site):
    assert read_settings(site(HANDOUT_EVENT="chamber-breakfast")).event == "chamber-breakfast"


@pytest.mark.parametrize(
    ("handouts", "selection"),
    [
        (None, ((), ())),
        ({"select_tags": ["events"], "page_size": "A7"}, (("events",), ())),
        ({"select_categories": ["Talks"], "page_budget": "two"}, ((), ("Talks",))),
        ({"select_tags": "events"}, None),
        ({"select_categories": [3]}, None),
        (["not", "a", "dict"], None),
    ],
)
def test_the_selection_is_read_apart_from_the_other_handout_settings(handouts, selection):
    # A mistake in another key must not hide which posts ask for a handout.
    assert requested_selection({"HANDOUTS": handouts}) == selection
