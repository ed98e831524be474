"""Which saved files are posts or pages to show first, and what else a save asks for."""

from pathlib import Path, PurePath

from hypothesis import given
from hypothesis import strategies as st

from handbill.livereload.changes import WatchLayout, code_folders, plan_changes, source_kind

ROOT = Path("/site")
LAYOUT = WatchLayout(
    content=ROOT / "content",
    article_paths=("posts",),
    page_paths=("pages",),
    article_excludes=("pages",),
    page_excludes=(),
    source_extensions=frozenset({"md", "markdown", "rst", "html"}),
    settings_file=ROOT / "siteconf.py",
    code_folders=(ROOT / "plugins" / "handbill_comments", ROOT / "src" / "handbill"),
)


def test_posts_and_pages_by_their_folders_and_readable_extensions():
    assert source_kind(PurePath("posts/2024/hello.md"), LAYOUT) == "article"
    assert source_kind(PurePath("pages/about.md"), LAYOUT) == "page"
    assert source_kind(PurePath("posts/notes.txt"), LAYOUT) is None
    assert source_kind(PurePath("comments/hello/1.md"), LAYOUT) is None
    assert source_kind(PurePath("postscript/x.md"), LAYOUT) is None  # a folder name, not a prefix


def test_the_whole_content_folder_as_article_path_still_leaves_pages_to_pages():
    everywhere = WatchLayout(**{**LAYOUT.__dict__, "article_paths": ("",)})
    assert source_kind(PurePath("anything.md"), everywhere) == "article"
    assert source_kind(PurePath("pages/about.md"), everywhere) == "page"


def test_a_batch_lists_its_posts_and_says_what_else_changed():
    plan = plan_changes(
        [
            ROOT / "content/posts/b.md",
            ROOT / "content/pages/about.md",
            ROOT / "content/images/x.png",
            ROOT / "content/posts/b.md",
        ],
        LAYOUT,
    )
    assert [(e.relative_path, e.kind) for e in plan.edited] == [("pages/about.md", "page"), ("posts/b.md", "article")]
    assert plan.needs_build and not plan.settings_changed and not plan.code_changed


def test_settings_and_code_changes_are_told_apart_and_code_tests_ignored():
    assert plan_changes([ROOT / "siteconf.py"], LAYOUT).settings_changed
    assert plan_changes([ROOT / "plugins/handbill_comments/rendering.py"], LAYOUT).code_changed
    template = plan_changes([ROOT / "plugins/handbill_comments/templates/x.html"], LAYOUT)
    assert template.needs_build and not template.code_changed
    in_tests = plan_changes([ROOT / "src/handbill/livereload/tests/test_x.py"], LAYOUT)
    assert not in_tests.needs_build and not in_tests.code_changed


def test_theme_changes_need_a_build_but_write_no_page_first():
    plan = plan_changes([ROOT / "theme/templates/article.html"], LAYOUT)
    assert plan.needs_build and plan.edited == ()


segment = st.text(alphabet="abcxyz-_.", min_size=1, max_size=6).filter(lambda s: s not in (".", ".."))


@given(st.lists(st.lists(segment, min_size=1, max_size=4), max_size=8))
def test_only_sources_under_the_content_folder_are_written_first(paths):
    changed = [ROOT.joinpath(*parts) for parts in paths]
    plan = plan_changes(changed, LAYOUT)
    for edited in plan.edited:
        assert (LAYOUT.content / edited.relative_path) in changed
        assert edited.kind == source_kind(PurePath(edited.relative_path), LAYOUT)


def test_code_folders_are_the_packages_outside_the_environment(tmp_path):
    venv, project = tmp_path / "venv", tmp_path / "project"
    files = [
        str(venv / "lib/site-packages/pelican/plugins/sitemap/__init__.py"),
        str(project / "plugins/handbill_comments/__init__.py"),
        str(project / "src/handbill/__init__.py"),
        str(project / "src/handbill/core/__init__.py"),
        None,
    ]
    assert code_folders(files, venv) == (project / "plugins/handbill_comments", project / "src/handbill")
