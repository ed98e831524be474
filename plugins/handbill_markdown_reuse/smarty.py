"""Apply the smarty extension's substitutions without the generic inline machinery's per-pattern cost.

Why: on the 1,000-post bench site (~800 words a post), converting a post with
Handbill's extensions took 9.1 ms of CPU, 4.3 ms without smarty (best of five
runs over 300 posts). Smarty registers a second ``InlineProcessor`` whose ~19
patterns are all ``SubstituteTextPattern``. For every pattern on every text node
the generic loop indexes the pattern ``Registry`` and goes through
``__applyPattern`` (ancestor and type checks, a ``finditer``), and the regex
engine tries every position of the text for the many patterns that open with a
lookbehind or a group. ``SubstitutingInlineProcessor`` takes over the same
pattern registry and runs a tight loop that only tries match starts next to
the text each match must contain. With it a post takes 5.7 ms: smarty's cost
goes from ~4.8 ms to ~1.4 ms, nearly all of it now the per-pattern loop. A
pattern whose required text is not in a text node at all is then skipped
without a call: most text nodes hold no quote, double hyphen or ellipsis
(measured later on a faster machine, 300 bench posts: smarty's share of a post
went from 0.94 to 0.69 ms, the whole conversion from 2.58 to 2.32 ms).

What it guarantees: byte-identical HTML to the library's smarty (Python-Markdown
3.11), because it follows ``InlineProcessor.__handleInline`` step by step: for
each pattern in registry order, search the current string from the start, call
the pattern's own ``handleMatch`` (so the ``htmlStash`` fills in the same
order), put the same inline placeholder where the match was, and search again
just past that placeholder until the pattern no longer matches; an
``AtomicString`` is left alone. Tree walking and placeholder resolution are the
inherited ones. It is only used when every pattern is a plain
``SubstituteTextPattern`` without ``ANCESTOR_EXCLUDES``, the only kind smarty
registers; anything else keeps the library's processor.
"""

import functools
import re
from re import _parser as regex_parser  # the standard library's own reading of a pattern's structure

from markdown import Markdown
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# Python-Markdown's smarty extension registers its tree processor under this name and priority.
SMARTY_NAME = "smarty"
SMARTY_PRIORITY = 6

# A needle further into a match than this gains little over a plain search.
MAX_NEEDLE_OFFSET = 16


def literal_run(opcode, argument):
    """The plain text a top-level pattern item always matches, or ``None`` if it is not plain text."""
    if opcode is regex_parser.LITERAL:
        return chr(argument)
    if opcode is regex_parser.MAX_REPEAT:
        least, greatest, repeated = argument
        if least == greatest > 0 and len(repeated) == 1 and repeated[0][0] is regex_parser.LITERAL:
            return chr(repeated[0][1]) * least
    return None


def required_needle(regex):
    """The text every match contains, and the least and greatest offset it can have from the match start.

    Taken from the pattern's first run of plain characters outside any group or
    lookaround, so it is present in every match; ``None`` when there is no such
    run or its offset is unbounded.
    """
    if regex.flags & re.IGNORECASE:
        return None
    items = regex_parser.parse(regex.pattern, regex.flags)
    needle = ""
    for index, item in enumerate(items):
        text = literal_run(*item)
        if text is None and needle:
            break
        if text is not None:
            if not needle:
                least_offset, greatest_offset = items[:index].getwidth()
            needle += text
    if not needle or greatest_offset > MAX_NEEDLE_OFFSET:
        return None
    return needle, least_offset, greatest_offset


@functools.cache
def leftmost_match_finder(regex):
    """A function ``(data, pos)`` giving exactly ``regex.search(data, pos)``.

    The regex engine tries every position of a long text node for patterns that
    open with a lookbehind or a group, most of smarty's. When the pattern has a
    required needle, only starts that put it at one of its occurrences are tried,
    in increasing order, so the first match found is the leftmost one. Matching
    at a start does not depend on where the search began: lookbehinds, ``^`` and
    ``\\b`` see the whole string either way.
    """
    found = required_needle(regex)
    if found is None:
        return regex.search
    needle, least_offset, greatest_offset = found
    match_at = regex.match

    def leftmost_match(data, pos=0):
        find = data.find
        untried = pos
        occurrence = find(needle, pos + least_offset)
        while occurrence >= 0:
            last_start = occurrence - least_offset
            for start in range(max(untried, occurrence - greatest_offset), last_start + 1):
                match = match_at(data, start)
                if match is not None:
                    return match
            untried = last_start + 1
            occurrence = find(needle, occurrence + 1)
        return None

    return leftmost_match


@functools.cache
def _needle_of(regex):
    """The text every match of ``regex`` contains ("" when there is none to rely on)."""
    found = required_needle(regex)
    return found[0] if found else ""


class SubstitutingInlineProcessor(InlineProcessor):
    """An ``InlineProcessor`` for patterns that only ever replace a match with text."""

    def run(self, tree, ancestors=None):
        # Resolved once per document rather than per pattern per text node.
        self._substitutions = [
            (
                _needle_of(pattern.compiled_re),
                leftmost_match_finder(pattern.compiled_re),
                pattern.handleMatch,
                pattern.type(),
            )
            for pattern in self.inlinePatterns
        ]
        return super().run(tree, ancestors)

    # Overrides the name-mangled InlineProcessor.__handleInline, which run() calls
    # for every text and tail. No SubstituteTextPattern yields an element, so the
    # recursion into child nodes that __applyPattern would do never happens.
    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if isinstance(data, AtomicString):
            return data
        stash_node = self._InlineProcessor__stashNode
        for needle, search, handle_match, pattern_type in self._substitutions[patternIndex:]:
            if needle not in data:  # in every match: most patterns are absent from most text nodes
                continue
            match = search(data)
            while match is not None:
                text, start, end = handle_match(match, data)
                placeholder = stash_node(text, pattern_type)
                data = data[:start] + placeholder + data[end:]
                match = search(data, start + len(placeholder))
        return data


def is_substitution_only(processor):
    return all(
        type(pattern) is SubstituteTextPattern and not pattern.ANCESTOR_EXCLUDES for pattern in processor.inlinePatterns
    )


def use_substituting_smarty(markdown: Markdown) -> None:
    """Swap smarty's tree processor for a ``SubstitutingInlineProcessor`` over the same patterns.

    Does nothing when smarty is not enabled, or when its patterns are not all plain substitutions.
    """
    if SMARTY_NAME not in markdown.treeprocessors:
        return
    smarty = markdown.treeprocessors[SMARTY_NAME]
    if type(smarty) is not InlineProcessor or not is_substitution_only(smarty):
        return
    substituting = SubstitutingInlineProcessor(markdown)
    substituting.inlinePatterns = smarty.inlinePatterns
    markdown.treeprocessors.register(substituting, SMARTY_NAME, SMARTY_PRIORITY)
