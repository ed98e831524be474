"""The substituting smarty processor gives byte for byte the HTML of Python-Markdown's own."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

from handbill.testing.sites import project_settings
from handbill_markdown_reuse.smarty import SubstitutingInlineProcessor, leftmost_match_finder, use_substituting_smarty

SMARTY = "markdown.extensions.smarty"

# Pieces of Markdown around which smarty's patterns decide: quotes next to
# words, digits, punctuation, markup, entities, escapes, line starts and code.
# fmt: off
FRAGMENTS = [
    "'", '"', "''", '""', "\"'", "'\"", "-", "--", "---", "----", ".", "...", "....", "<<", ">>",
    "word", "it's", "Bob's", "s", "'80s", "80s", "1990s", "the '90s", "x", "é", "日本", "—", "–", "«", "»",
    " ", "  ", "\t", "\n", "\n\n", "(", ")", "[", "]", "{", "}", ",", "!", "?", ":", ";",
    "`code`", "`it's \"x\" -- y...`", "*em*", "**strong**", "_'em'_", '[link](x "t")', "[it's](http://x/ 'ti\"tle')",
    '![img\'s](i.png "t")', "<http://x/'a'>", "[^1]", "\n\n[^1]: note's \"x\" -- y\n\n",
    "\n# ", "\n## Head's \"h\" ", "\n> ", "\n- ", "\n1. ", "\n    code 'x' -- y...\n",
    "\n\n```\nfenced 'x' -- y\n```\n\n", "\n\n| a'b | \"c\" |\n|---|---|\n| 'd' | e -- f |\n\n",
    "\n\n*[HTML]: it's \"markup\"\n\n", "HTML", "\nterm's\n: \"definition\" -- here\n",
    "\n\n/// caption\n'caption' -- \"text\"\n///\n\n",
    '<span title="a\'b">', "</span>", "<b>", "</b>", "<!-- c'm \"x\" -->", "<div markdown=\"1\">\n'in' \"div\"\n</div>",
    "&nbsp;", "&mdash;", "&ndash;", "&#8211;", "&#8212;", "&amp;", "&quot;", "&#39;",
    '\\"', "\\'", "\\-", "\\.", "\\`", "\\*", "  \n",
]
# fmt: on

markdown_texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet="'\"-.<> \nas0\u00a0", max_size=4)),
    max_size=40,
).map("".join)


def project_markdown_configs(**smarty_options):
    """The project's Markdown extensions (pelicanconf.py's MARKDOWN) with smarty given these options."""
    configs = dict(project_settings()["MARKDOWN"]["extension_configs"])
    assert SMARTY in configs, "the project no longer uses smarty; this test has nothing to compare"
    configs[SMARTY] = {**configs[SMARTY], **smarty_options}
    return configs


def stock_and_substituting(**smarty_options):
    configs = project_markdown_configs(**smarty_options)
    stock = Markdown(extensions=list(configs), extension_configs=configs, output_format="html5")
    substituting = Markdown(extensions=list(configs), extension_configs=configs, output_format="html5")
    use_substituting_smarty(substituting)
    assert type(stock.treeprocessors["smarty"]) is InlineProcessor
    assert type(substituting.treeprocessors["smarty"]) is SubstitutingInlineProcessor
    return stock, substituting


def convert(markdown, text):
    markdown.reset()
    return markdown.convert(text)


DEFAULT_PAIR = stock_and_substituting()


@settings(max_examples=500, deadline=None)
@given(markdown_texts)
def test_same_html_as_stock_smarty(text):
    stock, substituting = DEFAULT_PAIR
    assert convert(substituting, text) == convert(stock, text)


OPTION_PAIRS = {
    "angled quotes": stock_and_substituting(smart_angled_quotes=True),
    "no dashes": stock_and_substituting(smart_dashes=False),
    "no quotes, no ellipses": stock_and_substituting(smart_quotes=False, smart_ellipses=False),
    "substitutions": stock_and_substituting(
        substitutions={"left-single-quote": "&sbquo;", "right-double-quote": "»", "mdash": "---", "ellipsis": "'..'"}
    ),
}


@pytest.mark.parametrize("options", OPTION_PAIRS)
@settings(max_examples=100, deadline=None)
@given(text=markdown_texts)
def test_same_html_as_stock_smarty_with_options(options, text):
    stock, substituting = OPTION_PAIRS[options]
    assert convert(substituting, text) == convert(stock, text)


def test_keeps_its_place_among_the_tree_processors():
    stock, substituting = DEFAULT_PAIR
    smarty_index = stock.treeprocessors.get_index_for_name("smarty")
    assert substituting.treeprocessors.get_index_for_name("smarty") == smarty_index
    stock_kinds, substituting_kinds = ([type(processor) for processor in pair.treeprocessors] for pair in DEFAULT_PAIR)
    assert substituting_kinds[smarty_index] is SubstitutingInlineProcessor
    assert substituting_kinds[:smarty_index] + substituting_kinds[smarty_index + 1 :] == (
        stock_kinds[:smarty_index] + stock_kinds[smarty_index + 1 :]
    )


class SubclassedPattern(SubstituteTextPattern):
    pass


@pytest.mark.parametrize(
    "pattern_kind",
    ["subclass", "ancestor excludes"],
)
def test_leaves_other_kinds_of_pattern_to_the_library(pattern_kind):
    markdown = Markdown(extensions=[SMARTY])
    smarty = markdown.treeprocessors["smarty"]
    if pattern_kind == "subclass":
        pattern = SubclassedPattern(r"x", ("y",), markdown)
    else:
        pattern = SubstituteTextPattern(r"x", ("y",), markdown)
        pattern.ANCESTOR_EXCLUDES = ("code",)
    smarty.inlinePatterns.register(pattern, "extra", 1)
    use_substituting_smarty(markdown)
    assert markdown.treeprocessors["smarty"] is smarty


def test_without_smarty_nothing_changes():
    markdown = Markdown(extensions=["markdown.extensions.extra"])
    before = list(markdown.treeprocessors)
    use_substituting_smarty(markdown)
    assert list(markdown.treeprocessors) == before


# Smarty's own patterns, plus shapes it does not use: a needle after a
# variable-width group, a needle made of a fixed repeat, no needle at all,
# case-insensitive matching, a needle behind an unbounded prefix.
PATTERNS = [pattern.compiled_re for pattern in DEFAULT_PAIR[1].treeprocessors["smarty"].inlinePatterns] + [
    re.compile(pattern, re.DOTALL)
    for pattern in (r"(ab|c{1,3})'x?", r"(?<=a)b{2}(?!a)", r"^a", r"\ba'", r"[ab]+", r"(?i)ab", r"a*'b", r"(?:a')?b")
]


search_texts = st.lists(
    st.sampled_from(["a", "A", "b", "c", "ab", "cc", "ccc", "'", '"', "-", "--", ".", "...", " ", "\n", "1", "s", "—"]),
    max_size=20,
).map("".join)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.pattern)
@settings(max_examples=100, deadline=None)
@given(data=search_texts, start=st.integers(0, 21))
# Needles after a variable-width group, where a match starts before the nearest needle.
@example(data="c ab' cc'x", start=0)
@example(data="x&nbsp;'word &#8212;\"x", start=1)
def test_leftmost_match_finder_finds_what_search_finds(pattern, data, start):
    found = leftmost_match_finder(pattern)(data, start)
    expected = pattern.search(data, start)
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))


def test_atomic_text_is_left_alone():
    stock, substituting = (pair.treeprocessors["smarty"] for pair in DEFAULT_PAIR)
    trees = []
    for processor in (stock, substituting):
        paragraph = ET.Element("p")
        paragraph.text = "it's"
        emphasis = ET.SubElement(paragraph, "em")
        emphasis.text = "'em'"
        emphasis.tail = AtomicString(" -- 'atomic' ...")
        processor.md.reset()
        trees.append(ET.tostring(processor.run(paragraph), encoding="unicode"))
    assert trees[0] == trees[1]
    assert "'atomic'" in trees[1] and "'em'" not in trees[1]
