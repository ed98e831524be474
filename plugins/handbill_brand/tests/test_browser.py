"""The brand's web fonts in real Chromium: the computed families of body text and headings are
the brand's, and the WOFF2 files the build made are what the browser loaded for them; until
they load, fallback faces of local fonts take the same room."""

import re

import pytest

from handbill.testing.plugin_site import THEME, build_with_only
from handbill.testing.sites import PROJECT_ROOT
from handbill_brand.fallbacks import LOCAL_FONTS
from handbill_brand.typefaces import GENERIC_FAMILIES, shipped_faces

PLUGIN = "handbill_brand"
POST = """\
    Title: Meeting People Who Matter
    Date: 2024-03-05
    Slug: meeting-people

    Walk into the room with one question you actually want answered — and *listen*.
    """

FONT_STATE = """([body, headings]) => {
    const first = (element) => getComputedStyle(element).fontFamily.split(",")[0].trim().replace(/^"|"$/g, "");
    const paragraph = [...document.querySelectorAll("p")].find((p) => p.textContent.includes("Walk into the room"));
    const loaded = (family) => [...document.fonts]
        .filter((face) => face.family.replace(/^"|"$/g, "") === family && face.status === "loaded")
        .map((face) => `${face.weight} ${face.style}`);
    return {
        text: first(paragraph), heading: first(document.querySelector("h1")),
        loaded: {[body]: loaded(body), [headings]: loaded(headings)},
        usable: document.fonts.check(`16px "${body}"`) && document.fonts.check(`bold 32px "${headings}"`),
        fetched: performance.getEntriesByType("resource").filter((entry) => entry.name.endsWith(".woff2"))
            .map((entry) => [entry.name.split("/").pop(), entry.responseStatus]),
    };
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    logo = (PROJECT_ROOT / "content" / "images" / "mark.svg").read_bytes()
    files = {"posts/meeting-people.md": POST, "images/mark.svg": logo}
    return build_with_only(
        PLUGIN,
        files,
        tmp_path_factory.mktemp("brand-browser"),
        THEME=str(THEME),
        STATIC_PATHS=["images"],
        BRAND={"name": "Dana Whitfield", "logo": "images/mark.svg"},
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_body_text_and_headings_are_set_in_the_brands_loaded_web_fonts(site, static_server, open_page, width):
    page, errors = open_page(f"{static_server(site.output)}/meeting-people.html", width)
    page.evaluate("document.fonts.ready.then(() => true)")
    state = page.evaluate(FONT_STATE, ["Source Serif 4", "Source Sans 3"])
    assert errors == []
    assert (state["text"], state["heading"]) == ("Source Serif 4", "Source Sans 3"), state
    assert "400 normal" in state["loaded"]["Source Serif 4"], state
    assert "700 normal" in state["loaded"]["Source Sans 3"], state
    assert state["usable"], state
    # The loaded faces are the build's own files, from the site's theme folder.
    assert ["source-serif-4-latin-400-normal.woff2", 200] in state["fetched"], state
    assert ["source-sans-3-latin-700-normal.woff2", 200] in state["fetched"], state


def declared_faces(html):
    """{(family, style, weight): the rest of its declaration} of every @font-face in ``html``."""
    pattern = r'@font-face \{ font-family: "([^"]+)"; font-style: (\w+); font-weight: (\d+); ([^}]*)\}'
    return {(family, style, int(weight)): rest for family, style, weight, rest in re.findall(pattern, html)}


def test_each_brand_face_has_a_sized_fallback_face_per_local_font_of_its_kind_listed_after_it(site):
    html = (site.output / "meeting-people.html").read_text(encoding="utf-8")
    faces = declared_faces(html)
    for family, kind in GENERIC_FAMILIES.items():
        local_fonts = [font for font in LOCAL_FONTS if font.generic == kind]
        for face in shipped_faces([family]):
            for font in local_fonts:
                declaration = faces[(f"{family} fallback ({font.name})", face.style, face.weight)]
                local = font.faces[(face.weight >= 600, face.style == "italic")]
                assert declaration.startswith(f'src: local("{local.local_names[0]}")'), declaration
                assert re.search(r"size-adjust: [\d.]+%; ascent-override: [\d.]+%; descent-override: [\d.]+%; "
                                 r"line-gap-override: [\d.]+%;", declaration), declaration
        names = [family, *(f"{family} fallback ({font.name})" for font in local_fonts)]
        stack = ", ".join(f'"{name}"' for name in names)
        assert f"{stack};" in html, stack


TEXT_WIDTHS = """() => {
    const width = (element) => { const range = document.createRange(); range.selectNodeContents(element);
                                 return range.getBoundingClientRect().width; };
    const paragraph = [...document.querySelectorAll("p")].find((p) => p.textContent.includes("Walk into the room"));
    return {heading: width(document.querySelector("h1")), text: width(paragraph)};
}"""


def rendered_fonts(page, selector):
    """The font files' family names Chromium drew the text of ``selector`` with (DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def test_with_the_web_fonts_blocked_the_text_takes_the_same_room(site, static_server, chromium):
    """The fallback faces are what the reader sees until the web fonts arrive: local fonts, set as wide
    as the brand's (within 5%: the sizes follow an average over English text, not this sentence)."""
    url = f"{static_server(site.output)}/meeting-people.html"
    widths, fonts = {}, {}
    for blocked in (False, True):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            if blocked:
                page.route("**/*.woff2", lambda route: route.abort())
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            widths[blocked] = page.evaluate(TEXT_WIDTHS)
            fonts[blocked] = rendered_fonts(page, "h1"), rendered_fonts(page, ".article__body p")
        finally:
            context.close()
    assert fonts[False] == ({"Source Sans 3"}, {"Source Serif 4"}), fonts
    heading_fonts, text_fonts = fonts[True]
    assert heading_fonts <= {"Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"}, fonts
    assert text_fonts <= {"Liberation Serif", "Times New Roman", "DejaVu Serif"}, fonts
    for part, width in widths[False].items():
        assert widths[True][part] == pytest.approx(width, rel=0.05), (part, widths)
