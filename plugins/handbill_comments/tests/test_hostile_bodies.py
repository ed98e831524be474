"""The site always builds: hostile bodies and endless threads are held or shown, never fatal.

Real Pelican builds: with the project's settings in a child process (as
``invoke build`` runs), and with the plugin alone in this process for the
generated bodies, where a build per example has to be quick.
"""

import json
import re
import subprocess
import sys
import unicodedata

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.core.bodies import MAX_NESTING
from handbill.testing.plugin_site import THEME, build_with_only
from handbill.testing.sites import PROJECT_ROOT
from handbill_comments.rendering import DISPLAY_LEVELS
from handbill_comments.tests.sitecontent import article_path, comment, post, site, thread_shape

COMMENTS = {"policy": "anyone", "service_url": "https://comments.example.com", "contact_email": ""}
NESTING = f"body refused: lists and quotes may nest at most {MAX_NESTING} levels deep"


def held_task(settings_file):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "comments.held", "--settings", str(settings_file)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_bodies_that_crashed_or_stalled_the_build_are_held_and_everything_else_builds(build_site):
    slug = "hostile"
    built = build_site(
        site(
            post(slug),
            post("neighbour"),
            comment(slug, "c-lists", body="+ " * 496 + "x"),
            comment(slug, "c-quotes", body="> " * 1000 + "x"),
            comment(slug, "c-brackets", body="Look: " + "[" * 4990),
            comment(slug, "c-empty", body="**"),
            comment(slug, "c-reply", body="A reply to the deep list.", Reply_To="c-lists"),
            comment(slug, "c-fine", body="Plain words."),
            comment("neighbour", "c-next", body="Next door."),
        ),
        {"COMMENTS": COMMENTS},
    )
    assert thread_shape(built.read(article_path(slug))) == [("c-fine", 0)]
    assert thread_shape(built.read(article_path("neighbour"))) == [("c-next", 0)]
    assert built.exists("index.html")
    expected = {
        "c-lists": NESTING,
        "c-quotes": NESTING,
        "c-brackets": "body refused: the same punctuation mark may repeat at most 100 times in a row ('[')",
        "c-empty": "body refused: the comment has no text to show",
        "c-reply": "replies to held comment 'c-lists'",
    }
    log_lines = built.log.splitlines()
    for id, reason in expected.items():
        line = f"WARNING  Comment held: content/comments/{slug}/{id}.md: {reason}"
        assert line in log_lines, built.log
    assert "Traceback" not in built.log

    report = held_task(built.settings_file)
    assert report.returncode == 0, report.stdout + report.stderr
    assert report.stdout.startswith("2 published, 5 held, 0 broken")
    for id, reason in expected.items():
        assert f"  content/comments/{slug}/{id}.md: {reason}\n" in report.stdout


def test_a_thousand_deep_reply_chain_builds_and_every_comment_is_shown(build_site):
    slug = "deep"
    depth = 1000
    names = ["Sam Okafor", "Zoë de la Cruz"]
    chain = [
        comment(slug, f"c-{n}", names[n % 2], f"2024-01-11T10:{n // 60:02d}:{n % 60:02d}+00:00", f"Reply {n}.",
                Reply_To=f"c-{n - 1}" if n else "")
        for n in range(depth)
    ]
    built = build_site(site(post(slug), *chain), {"COMMENTS": COMMENTS})
    html = built.read(article_path(slug))
    assert thread_shape(html) == [(f"c-{n}", min(n, DISPLAY_LEVELS - 1)) for n in range(depth)]
    tree = lxml.html.fromstring(html)
    notes = [(p.getparent().getparent().get("id"), p.text_content().strip(), p.xpath("a")[0].get("href"))
             for p in tree.xpath("//p[@class='comment__context']")]
    assert notes == [(f"comment-c-{n}", f"in reply to {names[(n - 1) % 2]}", f"#comment-c-{n - 1}")
                     for n in range(DISPLAY_LEVELS, depth)]
    manifest = json.loads(built.read("comments/manifest.json"))
    assert manifest["posts"][slug]["comment_ids"] == [f"c-{n}" for n in range(depth)]


# Bodies a commenter might send to get an address onto the page: plain,
# obfuscated with references, escapes, emphasis, full-width or invisible
# characters, or carried by a link; mixed with ordinary Markdown.
LOCAL_PARTS = ["ann", "zoe.cruz", "z+blog"]
DOMAINS = ["example.org", "mail.example.co.uk"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@st.composite
def disguised_addresses(draw):
    local, domain = draw(st.sampled_from(LOCAL_PARTS)), draw(st.sampled_from(DOMAINS))
    at = draw(st.sampled_from(["@", "&#64;", "&#x40;", "&commat;", "\\@", "＠", "*@*", "**@**", "`@`"]))
    dot = draw(st.sampled_from([".", "&#46;", "\\.", "．", "。"]))
    name, host = local, domain.replace(".", dot)
    if draw(st.booleans()):
        invisible = draw(st.sampled_from(ZERO_WIDTH))
        name = name[:1] + invisible + name[1:]
    if draw(st.booleans()):
        name = f"*{name}*"
    address = f"{name}{at}{host}"
    wrapper = draw(st.sampled_from(["{}", "<{}>", "[write to me]({})", "[me](mailto:{})", "[{}](https://example.org/)",
                                    '[me](https://example.org/ "{}")', "`{}`", "> {}", "- {}"]))
    return wrapper.format(address), f"{local}@{domain}"


FILLER = st.sampled_from(["Thanks!", "*a*", "**b**", "`c`", "> quoted", "- item", "1. first", "[link](https://example.org/)",
                          "\n", "\n\n", " ", "&amp;", "\\*", "_x_"])


@st.composite
def bodies_with_an_address(draw):
    parts, addresses = [], []
    for _ in range(draw(st.integers(1, 3))):
        disguised, address = draw(disguised_addresses())
        parts.extend([*draw(st.lists(FILLER, max_size=3)), disguised])
        addresses.append(address)
    parts.extend(draw(st.lists(FILLER, max_size=3)))
    return " ".join(parts), addresses


def reader_text(html):
    """The comments' text as a reader takes it in: folded, invisible characters gone, links' targets and titles in."""
    section = lxml.html.fromstring(html).xpath("//section[@id='comments']")[0]
    text = " ".join([section.text_content(), *section.xpath(".//div[@class='comment__body']//a/@href"),
                     *section.xpath(".//div[@class='comment__body']//a/@title")])
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c) not in {"Cf", "Mn"}).replace("。", ".")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(bodies_with_an_address(), min_size=1, max_size=4))
def test_no_disguised_address_reaches_the_page_and_the_build_always_succeeds(tmp_path_factory, examples):
    slug = "addresses"
    records = [comment(slug, f"c-{n}", body=body) for n, (body, _) in enumerate(examples)]
    built = build_with_only(
        "handbill_comments", site(post(slug), *records), tmp_path_factory.mktemp("site"),
        THEME=str(THEME), ARTICLE_PATHS=["posts"], COMMENTS=COMMENTS,
    )
    [article] = built.articles
    shown = article.comment_section.count
    html = built.read(f"{slug}.html")
    assert len(thread_shape(html)) == shown <= len(examples)
    text = reader_text(html).lower()
    for _, addresses in examples:
        for address in addresses:
            assert address not in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", text)
