"""Bodies kept from the last build: the same verdict as rendering them, taken only for the same
text made by the same code, and a file that cannot be used only means rendering again."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.core.bodies import MAX_LENGTH
from handbill.core.known_results import text_key
from handbill_comments.known_bodies import BODIES_FILE, KnownBodies, rendering_digest
from handbill_comments.rendering import BodyRenderer, render_body

from .xss import BODY_PAYLOADS

BODIES = [
    "Great point about *follow-ups* -- thanks!",
    "See [my notes](https://notes.example/a) and 'quoted' words...",
    "Write to dana@example.com for the slides",  # the address is taken out
    "x" * (MAX_LENGTH + 1),  # held: longer than a body may be
    *BODY_PAYLOADS,
]


def known(tmp_path):
    return KnownBodies({"CACHE_PATH": str(tmp_path / "cache")}, BodyRenderer(), rendering_digest())


def test_the_next_build_takes_each_verdict_instead_of_rendering_and_it_is_the_rendered_one(tmp_path):
    first = known(tmp_path)
    verdicts = [first(text) for text in BODIES]
    assert first.worked_out == len(set(BODIES))
    assert verdicts == [render_body(BodyRenderer(), text) for text in BODIES]
    assert "dana@example.com" not in verdicts[2][0]
    assert verdicts[3][0] is None and verdicts[3][1]  # a held body stays held, with its reason
    first.save()

    again = known(tmp_path)
    assert [again(text) for text in BODIES] == verdicts
    assert again.worked_out == 0

    changed = known(tmp_path)
    assert changed("Great point about *follow-ups* -- thank you!")[0].startswith("<p>")
    assert changed.worked_out == 1


def test_only_the_running_builds_bodies_are_kept(tmp_path):
    first = known(tmp_path)
    first("an old comment")
    first.save()
    second = known(tmp_path)
    second("a new comment")
    second.save()
    assert set(known(tmp_path).known) == {text_key("a new comment")}


def test_bodies_rendered_by_other_code_are_rendered_again(tmp_path):
    first = known(tmp_path)
    first("a comment")
    first.save()
    path = tmp_path / "cache" / BODIES_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["made_by"] == rendering_digest()  # the project's code, its libraries, Python
    data["made_by"] = "an older sanitizer"
    data["results"][text_key("a comment")] = ['<p onclick="x()">a comment</p>', None]
    path.write_text(json.dumps(data), encoding="utf-8")

    again = known(tmp_path)
    assert again("a comment") == ("<p>a comment</p>", None)
    assert again.worked_out == 1


def test_an_unreadable_file_is_a_warning_and_every_body_is_rendered(tmp_path, caplog):
    path = tmp_path / "cache" / BODIES_FILE
    path.parent.mkdir(parents=True)
    path.write_text('{"made_by": ', encoding="utf-8")
    bodies = known(tmp_path)
    assert bodies("a comment") == ("<p>a comment</p>", None)
    assert f"{path} is unreadable" in caplog.text and "every comment body is rendered again" in caplog.text


def test_a_cache_folder_that_cannot_be_written_is_a_warning(tmp_path, caplog):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / BODIES_FILE.parent).write_text("a file where the folder goes", encoding="utf-8")
    bodies = known(tmp_path)
    bodies("a comment")
    bodies.save()
    assert "Comments: the rendered bodies could not be kept" in caplog.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


# Whatever a damaged or hand-edited file holds, loading it gives verdicts or nothing, never an error.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(results=json_values)
def test_any_json_in_the_file_loads_as_verdicts_or_nothing(tmp_path, results):
    path = tmp_path / "cache" / BODIES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"made_by": rendering_digest(), "results": results}), encoding="utf-8")
    for html, reason in known(tmp_path).known.values():
        assert (type(html) is str and reason is None) or (html is None and type(reason) is str)


def test_a_build_whose_bodies_are_all_known_never_sets_up_markdown(tmp_path):
    first = known(tmp_path)
    first("a comment")
    first.save()
    renderer = BodyRenderer()
    again = KnownBodies({"CACHE_PATH": str(tmp_path / "cache")}, renderer, rendering_digest())
    assert again("a comment") == ("<p>a comment</p>", None)
    assert renderer._markdown is None
    assert again("another comment") == ("<p>another comment</p>", None)
    assert renderer._markdown is not None
