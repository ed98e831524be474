"""Pages are rendered again exactly when something they are rendered from changed."""

import json
import logging
import os
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from handbill.core.fingerprint import stable_repr
from handbill.testing.plugin_site import build_with_only
from handbill_output_sync import unchanged_inputs
from handbill_output_sync.unchanged_inputs import (
    RECORD_FILE,
    SHARED_ATTRIBUTES,
    load_record,
    record_path,
    render_inputs_digest,
    tree_stamps,
)

PLUGIN = "handbill_output_sync"
REUSED = "taken as the last build wrote them"


def post(title, slug, body=None):
    return f"Title: {title}\nDate: 2024-03-01 09:00\nSlug: {slug}\n\n{body or f'Body of {title}.'}\n"


FILES = {"first.md": post("First", "first"), "second.md": post("Second", "second")}


def reused_message(caplog):
    """The log line saying how many pages were taken from the last build, or None."""
    lines = [record.getMessage() for record in caplog.records if REUSED in record.getMessage()]
    return lines[-1] if lines else None


def build(tmp_path, caplog, files=None, **settings):
    caplog.clear()
    with caplog.at_level(logging.INFO):
        return build_with_only(PLUGIN, files or {}, tmp_path, **settings)


def pages(output):
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*.html")}


def test_a_rebuild_with_nothing_changed_renders_no_page_and_gives_the_same_files(tmp_path, caplog):
    site = build(tmp_path, caplog, FILES)
    first = pages(site.output)
    assert reused_message(caplog) is None
    assert (tmp_path / "cache" / RECORD_FILE).exists()

    build(tmp_path, caplog)
    message = reused_message(caplog)
    assert message is not None and message.startswith(f"Output sync: {len(first)} of {len(first)} page(s)")
    assert pages(site.output) == first


def test_a_changed_setting_template_or_post_renders_every_page_again(tmp_path, caplog):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text("<p>{{ article.title }} on {{ SITENAME }}</p>\n")
    site = build(tmp_path, caplog, FILES, SITENAME="Before", THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert site.read("first.html") == "<p>First on Before</p>"

    build(tmp_path, caplog, SITENAME="After", THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert reused_message(caplog) is None
    assert site.read("first.html") == "<p>First on After</p>"

    template = overrides / "article.html"
    template.write_text("<h1>{{ article.title }}</h1>\n")
    os.utime(template, ns=(template.stat().st_atime_ns, template.stat().st_mtime_ns + 1_000_000_000))
    build(tmp_path, caplog, SITENAME="After", THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert reused_message(caplog) is None
    assert site.read("first.html") == "<h1>First</h1>"

    build(
        tmp_path,
        caplog,
        {"second.md": post("Second, retitled", "second")},
        SITENAME="After",
        THEME_TEMPLATES_OVERRIDES=[str(overrides)],
    )
    assert reused_message(caplog) is None
    assert site.read("second.html") == "<h1>Second, retitled</h1>"


def test_a_page_changed_or_removed_in_the_output_is_rendered_again(tmp_path, caplog):
    site = build(tmp_path, caplog, FILES)
    expected = pages(site.output)
    (site.output / "first.html").write_text("edited by hand\n")
    (site.output / "second.html").unlink()

    build(tmp_path, caplog)
    assert reused_message(caplog).startswith(f"Output sync: {len(expected) - 2} of {len(expected)} page(s)")
    assert pages(site.output) == expected


def test_a_build_that_logged_an_error_leaves_no_record_so_the_next_renders_all(tmp_path, caplog):
    build(tmp_path, caplog, FILES)
    build(tmp_path, caplog, {"broken.md": "Title: Broken\nDate: not a date\n\nText.\n"})
    assert "Could not process" in caplog.text
    assert not (tmp_path / "cache" / RECORD_FILE).exists()

    (tmp_path / "content" / "broken.md").unlink()
    build(tmp_path, caplog)
    assert reused_message(caplog) is None
    assert (tmp_path / "cache" / RECORD_FILE).exists()


def test_a_digest_that_cannot_be_taken_is_a_warning_and_the_next_build_renders_all(tmp_path, caplog, monkeypatch):
    def unreadable_inputs(generators, settings):
        raise OSError("the theme folder is unreadable")

    # A first build takes its digest in a forked process, which has this module as patched here.
    monkeypatch.setattr(unchanged_inputs, "site_digest", unreadable_inputs)
    site = build(tmp_path, caplog, FILES)
    warnings = [record.getMessage() for record in caplog.records if record.name == unchanged_inputs.__name__]
    cause = "OSError: the theme folder is unreadable"
    assert warnings == [f"Output sync: no digest of this build's inputs ({cause}); the next build renders all"]
    assert site.exists("first.html") and not (tmp_path / "cache" / RECORD_FILE).exists()

    monkeypatch.undo()
    build(tmp_path, caplog)
    assert reused_message(caplog) is None
    assert (tmp_path / "cache" / RECORD_FILE).exists()


def test_the_stamps_leave_out_the_output_the_cache_and_compiled_code(tmp_path):
    for name in ("content/post.md", "output/index.html", "cache/x", "code/__pycache__/m.pyc", "code/m.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    stamps = tree_stamps([tmp_path], left_out=[tmp_path / "output", tmp_path / "cache"])
    assert [os.path.relpath(path, tmp_path) for path, _size, _mtime in stamps] == ["code/m.py", "content/post.md"]


plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(name=st.from_regex(r"[a-z_]{1,12}", fullmatch=True), before=plain_values, after=plain_values)
def test_any_attribute_a_plugin_attaches_to_a_post_is_in_the_digest(name, before, after):
    """A comment section that closed with the clock, a handout's page count…: what the templates can show."""

    def digest_with(value):
        post = SimpleNamespace(title="A post", _content="<p>Text</p>", settings={"unread": object()})
        setattr(post, name, value)
        return render_inputs_digest({"SITENAME": "Site"}, [post], ["pelican-4.12.0"], [])

    same_value = stable_repr(before) == stable_repr(after)
    assert (digest_with(before) == digest_with(after)) == (same_value or name in SHARED_ATTRIBUTES)


def test_where_and_whether_to_cache_is_not_in_the_digest():
    post = SimpleNamespace(title="A post")
    assert render_inputs_digest({"CACHE_PATH": "a", "LOAD_CONTENT_CACHE": True}, [post], [], []) == (
        render_inputs_digest({"CACHE_PATH": "b", "LOAD_CONTENT_CACHE": False}, [post], [], [])
    )
    assert render_inputs_digest({"SITEURL": "a"}, [post], [], []) != render_inputs_digest(
        {"SITEURL": "b"}, [post], [], []
    )


record_texts = st.one_of(
    st.binary(max_size=200),
    st.recursive(
        st.none() | st.booleans() | st.just(1) | st.integers() | st.text(max_size=10),  # 1: the version read
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["version", "digest", "pages", "x"]), inner, max_size=4)
        ),
        max_leaves=10,
    ).map(lambda value: json.dumps(value).encode()),
)


@given(data=record_texts)
def test_a_damaged_record_is_never_trusted_and_never_stops_the_build(tmp_path_factory, data):
    settings = {"CACHE_PATH": str(tmp_path_factory.mktemp("cache"))}
    path = record_path(settings)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    digest, pages = load_record(settings)
    assert (digest, pages) == (None, {}) or all(isinstance(stamp, tuple) for stamp in pages.values())


def test_an_unreadable_record_is_named_and_every_page_rendered(tmp_path, caplog):
    build(tmp_path, caplog, FILES)
    (tmp_path / "cache" / RECORD_FILE).write_text('{"version": 1, "digest": "x", "pages": [1, 2]}')
    build(tmp_path, caplog)
    assert f"unreadable record {tmp_path / 'cache' / RECORD_FILE}" in caplog.text
    assert reused_message(caplog) is None
