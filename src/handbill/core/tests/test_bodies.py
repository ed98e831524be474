"""Which comment bodies the site takes: bodies.body_problem."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.core.bodies import MAX_LENGTH, MAX_NESTING, MAX_RUN, body_problem, nesting_depth

NESTING = f"lists and quotes may nest at most {MAX_NESTING} levels deep"
EMPTY = "the comment has no text to show"

# Every way to open a list or a block quote at the start of a line.
MARKERS = ("- ", "+ ", "* ", "1. ", "23) ", "> ", ">")
# Characters that show nothing once Markdown is done: syntax, spaces, invisible and blank-looking ones.
HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"
INVISIBLE = "*_`~>-+=\\[] \t\n\u00a0\u2003\u200b\u200d\u2060\ufeff\u2800\u0301" + HANGUL_FILLERS


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, this helped.",
        "42",
        "👍",
        "谢谢！",
        "*Emphasis*, **strong**, `code` and [a link](https://example.org/).",
        "- one\n- two\n  - nested\n\n> quoted\n> > twice",
        "- a\n    - b\n        - c\n            - d\n                - e\n                    - f",
        "> " * MAX_NESTING + "six quotes deep",
        "1. " * MAX_NESTING + "six numbered lists deep",
        "    indented code\n            deeper code",
        "-" * MAX_RUN + "\nA long rule above, then words.",
        "x" * MAX_LENGTH,
    ],
)
def test_ordinary_bodies_are_accepted(text):
    assert body_problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "+ " * 496 + "x",  # made Python-Markdown recurse until RecursionError
        "> " * 1000 + "x",
        ">" * (MAX_NESTING + 1) + " x",
        "- > 1. > * > 2) x",
        "- a\n" + "".join("    " * level + "- deeper\n" for level in range(1, MAX_NESTING + 1)),
        "\t" * MAX_NESTING + "- tabs count as indentation",
    ],
)
def test_deep_nesting_is_refused(text):
    assert body_problem(text) == NESTING


@pytest.mark.parametrize(
    "text",
    ["", "*", "**", "---", ">", "-", "```", "`` ``", "_ _", "\u200b\u200b", "\u3164", "&nbsp;&#8203;", "> \n> *",
     "[](https://example.org/)", "\\*\\*"],
)
def test_bodies_with_nothing_to_read_are_refused(text):
    assert body_problem(text) == EMPTY


def test_long_runs_of_one_punctuation_mark_and_overlong_bodies_are_refused():
    assert body_problem("Look: " + "[" * 5000) == (
        f"the same punctuation mark may repeat at most {MAX_RUN} times in a row ('[')"
    )
    assert body_problem("Look: " + "!" * (MAX_RUN + 1)).startswith("the same punctuation mark")
    assert body_problem("x" * (MAX_LENGTH + 1)) == f"a comment may be at most {MAX_LENGTH:,} characters long"


@given(
    markers=st.lists(st.sampled_from(MARKERS), min_size=1, max_size=3 * MAX_NESTING),
    indent=st.integers(0, 3),
    text=st.text(alphabet="abc xyz", min_size=1).filter(str.strip),
)
def test_nesting_is_counted_for_any_mix_of_markers(markers, indent, text):
    line = " " * indent + "".join(markers) + text.strip()
    assert nesting_depth(line) == len(markers)
    assert (body_problem(f"Intro.\n\n{line}") == NESTING) == (len(markers) > MAX_NESTING)


@given(st.text(alphabet=INVISIBLE, max_size=200))
def test_invisible_text_alone_is_refused(text):
    assert body_problem(text) in {EMPTY, NESTING} or body_problem(text).startswith("the same punctuation mark")


@given(
    before=st.text(alphabet=INVISIBLE.replace("]", ""), max_size=40),
    # Hangul fillers are letters that look like nothing.
    word=st.text(st.characters(categories=["L", "N"], exclude_characters=HANGUL_FILLERS), min_size=1, max_size=10),
    after=st.text(alphabet=INVISIBLE, max_size=40),
)
def test_any_letter_or_digit_is_text_to_show(before, word, after):
    assert body_problem(before + word + after) != EMPTY
