"""Commenters' names as the last build judged them, so that the same names are not judged again.

The policy judges the name on every record (``policy.judge_name``: whether it
reads as the site owner's, whether it is a real full name), and judging loads
Unicode's confusables data (``handbill.core.identity``): 6 MB and about 60 ms
of every build with comments, before a single name is looked at. Each build
keeps every name's verdict in ``<CACHE_PATH>/handbill_comments/names.json``
under the SHA-256 of the name with the owner's names, made by the same digest
as the kept bodies (``known_bodies.rendering_digest``): a change to the checks,
the confusables data or any library judges every name again.
"""

import json
from pathlib import Path

from handbill.core.known_results import KeptResults
from handbill.core.policy import NameVerdict, judge_name

NAMES_FILE = Path("handbill_comments") / "names.json"


def _is_verdict(value):
    """``[reads as the owner's, issue or None]``, as JSON keeps a NameVerdict."""
    if not isinstance(value, list) or len(value) != 2:
        return False
    reads_as_owner, issue = value
    return type(reads_as_owner) is bool and (issue is None or type(issue) is str)


def _judged(asked):
    name, owner_names = json.loads(asked)
    verdict = judge_name(name, owner_names)
    return [verdict.reads_as_owner, verdict.issue]


class KnownNames(KeptResults):
    """``policy.judge_name``, which takes the verdict the last build gave the same name on a
    site with the same owner's names; ``save`` keeps this build's for the next."""

    def __init__(self, pelican_settings, made_by):
        super().__init__(
            Path(pelican_settings["CACHE_PATH"]) / NAMES_FILE,
            made_by,
            _judged,
            _is_verdict,
            what="Comments: the judged names",
            redone="every commenter's name is judged again",
        )

    def __call__(self, name, owner_names):
        asked = json.dumps([name, list(owner_names or ())], ensure_ascii=False)
        reads_as_owner, issue = super().__call__(asked)
        return NameVerdict(reads_as_owner, issue)
