"""Whether a comment body is one the site can take: pure, no Markdown, no I/O.

The comment service asks ``body_problem`` at intake, so the commenter hears
why at once; the build asks again, so a record that reached the repository
some other way (written by hand, imported) is held rather than rendered.

Refused:

* shapes that make Markdown renderers recurse: lists and block quotes nested
  deeper than anyone writes (``"+ " * 500`` used to crash the build);
* shapes no one writes but attackers: one punctuation mark repeated at
  length (5,000 ``[`` made rendering quadratic; the renderer defuses those
  too), and bodies longer than MAX_LENGTH, which bounds the work of any body;
* bodies with nothing for a reader to see: only whitespace, invisible
  characters, or Markdown syntax such as ``**``, ``---``, ``>``, backticks or
  an empty link.

Every check here takes time linear in the body's length.
"""

import html
import re
import unicodedata

# Lists and block quotes, mixed or not, may nest this deep.
MAX_NESTING = 6
# Markdown nests a list item indented by this many columns under the one above.
INDENT_PER_LEVEL = 4
TAB_WIDTH = 4
# The same punctuation mark at most this many times in a row (a long rule of dashes fits).
MAX_RUN = 100
# No comment needs more; the comment service may accept less (its body_max_chars).
MAX_LENGTH = 20_000

# One container marker at the start of a line (after any indentation):
# a block quote's ">", a bullet or an ordered-list number, followed by a space
# or the end of the line (without the space, "-x" or "1.5" is text).
_CONTAINER_MARKER = re.compile(r"(?:>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$))")

# Characters Markdown can turn into no text at all: emphasis, code spans,
# rules, quote and list markers, escapes, and a link's brackets.
_SYNTAX_ONLY = frozenset("*_`~>-+=\\[]")
# Blank-looking characters that Unicode does not class as spaces or formats.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"})
_PUNCTUATION_RUN = re.compile(rf"([^\w\s])\1{{{MAX_RUN}}}")


def nesting_depth(line):
    """How many lists and block quotes ``line`` opens or continues, by its leading markers and indentation."""
    depth = indent = position = 0
    while position < len(line):
        if line[position] in " \t":
            indent += TAB_WIDTH if line[position] == "\t" else 1
            position += 1
        elif marker := _CONTAINER_MARKER.match(line, position):
            depth += 1
            position = marker.end()
        else:
            break
    if depth == 0:
        return 0  # an indented line without markers is code or a continuation, not a new level
    # Indentation beyond the one space after each marker nests list items further.
    return depth + max(0, indent - depth) // INDENT_PER_LEVEL


def is_invisible(character):
    """True for a character a reader would not see as text once Markdown is done with it."""
    return (
        character.isspace()
        or character in _SYNTAX_ONLY
        or character in _BLANK_GLYPHS
        or unicodedata.category(character) in _INVISIBLE_CATEGORIES
    )


def without_link_destinations(text):
    """``text`` without the ``(...)`` after each ``]``: a link's address is not text a reader sees."""
    kept, position = [], 0
    while (start := text.find("](", position)) != -1:
        end = text.find(")", start + 2)
        if end == -1:
            break  # no destination closes after here, nor after any later "]("
        kept.append(text[position : start + 1])
        position = end + 1
    kept.append(text[position:])
    return "".join(kept)


def has_visible_text(text):
    """Whether a reader would see any text of Markdown ``text`` (character references decoded)."""
    return not all(is_invisible(character) for character in without_link_destinations(html.unescape(text)))


def body_problem(text):
    """None when ``text`` is an acceptable comment body, else a short reason for the commenter."""
    if len(text) > MAX_LENGTH:
        return f"a comment may be at most {MAX_LENGTH:,} characters long"
    if not has_visible_text(text):
        return "the comment has no text to show"
    if any(nesting_depth(line) > MAX_NESTING for line in text.splitlines()):
        return f"lists and quotes may nest at most {MAX_NESTING} levels deep"
    if run := _PUNCTUATION_RUN.search(text):
        return f"the same punctuation mark may repeat at most {MAX_RUN} times in a row ({run.group(1)!r})"
    return None
