"""BRAND read by the loader alone: every value checked, every problem named."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill_brand import BrandError, brand_in, read_brand
from handbill_brand.typefaces import FONTS_DIR

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.fixture
def site(tmp_path):
    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    (images / "logo.svg").write_text(LOGO)

    def settings(brand=None, **extra):
        return {"PATH": str(tmp_path / "content"), "AUTHOR": "Dana Whitfield", "BRAND": brand or {}, **extra}

    settings.content = tmp_path / "content"
    return settings


def problems(settings):
    with pytest.raises(BrandError) as raised:
        read_brand(settings)
    return raised.value.problems


def test_defaults_and_the_sites_copies(site):
    brand = read_brand(site({"logo": "images/logo.svg", "accent_color": "#6b2d5c"}))
    assert brand.name == "Dana Whitfield"  # from AUTHOR
    assert brand.logo == "theme/brand/logo.svg"
    assert brand.logo_file == site.content / "images" / "logo.svg"
    assert brand.logo_bytes == LOGO.encode()
    assert brand.photo == "" and brand.photo_file is None
    assert brand.accent_color == "#6b2d5c"
    assert (brand.fonts.body, brand.fonts.headings) == ("Source Serif 4", "Source Sans 3")
    assert brand.author_box is True


def test_web_fonts_are_the_shipped_faces_of_both_families_with_the_body_regular_preloaded(site):
    brand = read_brand(site(THEME_STATIC_DIR="static"))
    faces = {(face.family, face.weight, face.style) for face in brand.web_fonts}
    assert ("Source Serif 4", 400, "normal") in faces and ("Source Sans 3", 700, "normal") in faces
    assert len(faces) == len(list(FONTS_DIR.glob("*.ttf")))
    preloaded = [face.url for face in brand.web_fonts if face.preload]
    assert preloaded == ["static/fonts/source-serif-4-latin-400-normal.woff2"]
    assert all(re.fullmatch(r"static/fonts/[a-z0-9-]+\.woff2", face.url) for face in brand.web_fonts)


def test_a_family_that_is_not_shipped_gets_no_web_font(site):
    brand = read_brand(site({"fonts": {"body": "Liberation Serif"}}))
    assert {face.family for face in brand.web_fonts} == {"Source Sans 3"}


@given(st.from_regex(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", fullmatch=True))
def test_any_hex_colour_is_an_accent(colour):
    assert read_brand({"PATH": ".", "AUTHOR": "Dana", "BRAND": {"accent_color": colour}}).accent_color == colour


@given(st.text(max_size=12).filter(lambda text: not re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text)))
def test_anything_else_is_a_bad_colour_named_as_such(colour):
    (problem,) = problems({"PATH": ".", "AUTHOR": "Dana", "BRAND": {"accent_color": colour}})
    assert problem.startswith('BRAND["accent_color"] must be a hex colour')


def test_a_missing_logo_names_the_setting_and_the_file(site):
    (problem,) = problems(site({"logo": "images/nope.svg"}))
    assert problem.startswith('BRAND["logo"]') and "nope.svg" in problem and "cannot read" in problem


def test_logo_and_photo_must_really_be_svg_or_png(site):
    (site.content / "images" / "fake.svg").write_text("hello")
    (site.content / "images" / "fake.png").write_text("hello")
    (site.content / "images" / "me.jpg").write_bytes(b"\xff\xd8")
    assert "not a readable SVG" in problems(site({"logo": "images/fake.svg"}))[0]
    assert "not a PNG" in problems(site({"logo": "images/fake.png"}))[0]
    (problem,) = problems(site({"photo": "images/me.jpg"}))
    assert problem.startswith('BRAND["photo"]') and ".svg or .png" in problem


def test_an_unknown_key_is_named_with_the_known_ones(site):
    (problem,) = problems(site({"colour": "#fff"}))
    assert problem.startswith('BRAND["colour"] is not a setting') and "accent_color" in problem


def test_the_call_to_action_link(site):
    for link in ("mailto:dana@coach.example?subject=A%20call", "https://coach.example/book", "tel:+15550142"):
        assert read_brand(site({"call_to_action_link": link})).call_to_action_on_site is False
    assert read_brand(site({"call_to_action_link": "about/"})).call_to_action_on_site is True
    for link in ("javascript:alert(1)", "/about/", "two words"):
        (problem,) = problems(site({"call_to_action_link": link}))
        assert problem.startswith('BRAND["call_to_action_link"]'), problem


def test_every_problem_at_once_the_old_setting_names_included(site):
    found = problems(
        site(
            {"accent_color": "blue", "fonts": {"body": 'Evil"Font'}, "author_box": "yes", "name": ""},
            HANDOUT_BRAND={"name": "Dana"},
            HANDBILL_LOGO="images/logo.svg",
        )
    )
    assert any(problem.startswith("HANDOUT_BRAND is now called BRAND") and "rename" in problem for problem in found)
    assert any(problem.startswith('HANDBILL_LOGO is now BRAND["logo"]') for problem in found)
    for setting in ('BRAND["accent_color"]', 'BRAND["fonts"]["body"]', 'BRAND["author_box"]', 'BRAND["name"]'):
        assert any(problem.startswith(setting) for problem in found), (setting, found)


def test_the_brand_is_read_once_per_build_and_kept_in_the_context(site):
    context = site({"logo": "images/logo.svg"})
    brand = brand_in(context)
    (site.content / "images" / "logo.svg").unlink()  # read again, it would be missing
    assert brand_in(context) is brand is context["brand"]


def test_a_bad_brand_stays_bad_for_every_reader_with_its_defaults_in_the_context(site):
    context = site({"accent_color": "blue"})
    for _reader in range(2):
        with pytest.raises(BrandError, match=r'BRAND\["accent_color"\]'):
            brand_in(context)
    assert context["brand"].accent_color == "#1f4e79"
