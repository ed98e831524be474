"""Posts kept printable from the last build: the same PrintableContent as making them printable,
taken only for the same HTML and address whose images are found as before, by the same code."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill_handouts.known_printable import PRINTABLE_FILE, KnownPrintableContent
from handbill_handouts.print_markup import prepare_for_print

PAGE = "https://coach.example/posts/2024/hello/"
POSTS = [
    '<p>Read <a href="https://example.org/guide">the guide</a> and <a href="../second/">the next</a>.</p>',
    (
        '<p>A photo: <img src="/images/desk.jpg" alt="My desk"> and a missing one '
        '<img src="https://coach.example/images/gone.png" alt="Gone"></p>'
    ),
    (
        '<p>Note<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<div class="footnote"><ol><li id="fn:1"><p>See <a href="https://x.example/">x</a>.'
        '<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li></ol></div>'
    ),
    '<iframe src="https://video.example/embed/1" title="A talk"></iframe><script>x()</script>',
]


class Locator:
    """Finds the images named in ``files`` ({address: local file}); counts what it was asked."""

    def __init__(self, files):
        self.files, self.asked = dict(files), []

    def __call__(self, address):
        self.asked.append(address)
        path = self.files.get(address)
        return None if path is None else (f"handout://content/{Path(path).name}", Path(path))


DESK = {"https://coach.example/images/desk.jpg": "/site/content/images/desk.jpg"}


def known(folder, files=DESK, made_by="made by this code"):
    return KnownPrintableContent(folder / "cache", made_by, Locator(files))


def test_the_next_build_takes_each_post_instead_of_parsing_it_and_it_is_the_parsed_one(tmp_path):
    first = known(tmp_path)
    made = [first.prepared(html, PAGE) for html in POSTS]
    assert made == [prepare_for_print(html, PAGE, Locator(DESK)) for html in POSTS]
    assert made[1].images == (("handout://content/desk.jpg", Path("/site/content/images/desk.jpg")),)
    assert made[1].problems and made[2].notes and "script" not in made[3].html
    assert first.worked_out == len(POSTS)
    first.save()

    again = known(tmp_path)
    assert [again.prepared(html, PAGE) for html in POSTS] == made
    assert again.worked_out == 0

    # Another address for the same HTML is another post.
    assert again.prepared(POSTS[0], "https://coach.example/posts/2025/other/") != made[0]
    assert again.worked_out == 1


def test_a_post_whose_images_are_found_otherwise_is_made_printable_again(tmp_path):
    first = known(tmp_path)
    first.prepared(POSTS[1], PAGE)
    first.save()

    found_now = {**DESK, "https://coach.example/images/gone.png": "/site/content/images/gone.png"}
    moved = {"https://coach.example/images/desk.jpg": "/site/output/images/desk.jpg"}
    for files in (found_now, moved, {}):
        again = known(tmp_path, files)
        assert again.prepared(POSTS[1], PAGE) == prepare_for_print(POSTS[1], PAGE, Locator(files))
        assert again.worked_out == 1


def test_posts_made_printable_by_other_code_or_a_damaged_file_are_made_again(tmp_path, caplog):
    first = known(tmp_path, {})
    first.prepared(POSTS[0], PAGE)
    first.save()
    path = tmp_path / "cache" / PRINTABLE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["made_by"] == "made by this code"
    (key,) = data["results"]
    data["results"][key]["content"]["html"] = "<p onclick='x()'>forged</p>"
    path.write_text(json.dumps(data), encoding="utf-8")
    other = known(tmp_path, {}, "made by an older parser")
    assert other.prepared(POSTS[0], PAGE) == prepare_for_print(POSTS[0], PAGE, Locator({}))
    assert other.worked_out == 1

    path.write_text('{"made_by": ', encoding="utf-8")
    assert known(tmp_path, {}).prepared(POSTS[0], PAGE) == prepare_for_print(POSTS[0], PAGE, Locator({}))
    assert "every handout's post is made printable again" in caplog.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["html", "notes", "x"]), inner),
    max_leaves=8,
)


# Whatever a damaged or hand-edited file holds for a post, the post is made printable, never an error.
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=json_values, looked_up=json_values)
def test_any_json_kept_for_a_post_gives_its_printable_content(tmp_path, content, looked_up):
    first = known(tmp_path)
    first.prepared(POSTS[1], PAGE)
    first.save()
    path = tmp_path / "cache" / PRINTABLE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    (key,) = data["results"]
    data["results"][key] = {"content": content, "looked_up": looked_up}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert known(tmp_path).prepared(POSTS[1], PAGE) == prepare_for_print(POSTS[1], PAGE, Locator(DESK))
