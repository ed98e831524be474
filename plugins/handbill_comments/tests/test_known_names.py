"""Names kept from the last build: the same verdict as judging them, taken only for the same name
and owner's names judged by the same code, and a file that cannot be used only means judging again."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.core.policy import NameVerdict, judge_name
from handbill_comments.known_bodies import rendering_digest
from handbill_comments.known_names import NAMES_FILE, KnownNames

OWNER = ("Dana Whitfield", "D. W. Coaching")
NAMES = [
    "Maria Lopez",
    "Dana Whitfield",  # the owner's
    "D\u0430na Whitfield",  # the owner's with a Cyrillic a
    "dana  WHITFIELD",
    "Anonymous",
    "Гость",
    "匿名",
    "Prince",  # one word
    "maria@example.com",
    "Jean-Luc Picard",
    "李小龍",
]


def known(tmp_path):
    return KnownNames({"CACHE_PATH": str(tmp_path / "cache")}, rendering_digest())


def test_the_next_build_takes_each_verdict_instead_of_judging_and_it_is_the_judged_one(tmp_path):
    first = known(tmp_path)
    verdicts = [first(name, OWNER) for name in NAMES]
    assert verdicts == [judge_name(name, OWNER) for name in NAMES]
    assert first.worked_out == len(NAMES)
    assert verdicts[0] == NameVerdict(False, None)
    assert verdicts[1].reads_as_owner and verdicts[2].reads_as_owner
    assert verdicts[4].issue and verdicts[5].issue and verdicts[7].issue
    first.save()

    again = known(tmp_path)
    assert [again(name, OWNER) for name in NAMES] == verdicts
    assert again.worked_out == 0

    # The same name on a site with other owner's names is judged again.
    assert again("Dana Whitfield", ("Maria Lopez",)) == NameVerdict(False, None)
    assert again("Dana Whitfield", None) == NameVerdict(False, None)
    assert again.worked_out == 2


def test_names_judged_by_other_code_are_judged_again(tmp_path):
    first = known(tmp_path)
    first("Dana Whitfield", OWNER)
    first.save()
    path = tmp_path / "cache" / NAMES_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["made_by"] == rendering_digest()
    data["made_by"] = "an older name check"
    (key,) = data["results"]
    data["results"][key] = [False, None]  # a verdict that would let anyone sign as the owner
    path.write_text(json.dumps(data), encoding="utf-8")

    again = known(tmp_path)
    assert again("Dana Whitfield", OWNER).reads_as_owner
    assert again.worked_out == 1


def test_an_unreadable_file_is_a_warning_and_every_name_is_judged(tmp_path, caplog):
    path = tmp_path / "cache" / NAMES_FILE
    path.parent.mkdir(parents=True)
    path.write_text("[", encoding="utf-8")
    assert known(tmp_path)("Maria Lopez", OWNER) == NameVerdict(False, None)
    assert f"{path} is unreadable" in caplog.text and "every commenter's name is judged again" in caplog.text


# Any name, kept and taken back by the next build, has the verdict judging it gives.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(max_size=40), min_size=1, max_size=4, unique=True))
def test_any_name_kept_and_taken_back_is_judged_alike(tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("names")
    first = known(folder)
    for name in names:
        first(name, OWNER)
    first.save()
    again = known(folder)
    assert [again(name, OWNER) for name in names] == [judge_name(name, OWNER) for name in names]
    assert again.worked_out == 0

