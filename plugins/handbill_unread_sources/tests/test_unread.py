"""The plain functions: which files nothing read, and the reason given for each."""

from hypothesis import given
from hypothesis import strategies as st

from handbill_unread_sources.unread import unread_files, unread_reason

MARKDOWN = {"md", "markdown", "mkd", "mdown"}
POSTS, STATIC = ["posts", "pages"], ["images"]


def test_files_nothing_read_are_listed_in_order_without_what_tools_leave():
    found = ["posts/b.md", "posts/a.MD", "images/x.png", "root.md", "posts/.DS_Store", "posts/b.md~", ".git/config"]
    assert unread_files(found, {"posts/b.md", "images/x.png"}) == ["posts/a.MD", "root.md"]


def test_a_name_in_the_wrong_case_is_told_its_right_name():
    reason = unread_reason("posts/Spring Plan.MD", MARKDOWN, POSTS, STATIC)
    assert reason.endswith("rename it to Spring Plan.md")
    assert ".md" in reason and "(lower case)" in reason


def test_a_post_outside_the_posts_folders_is_told_where_they_are():
    reason = unread_reason("drafts/idea.md", MARKDOWN, POSTS, STATIC)
    assert reason == (
        "posts and pages are read only from posts/, pages/ (ARTICLE_PATHS, PAGE_PATHS): move it into one of them"
    )


def test_a_post_inside_a_posts_folder_that_was_not_read_was_left_out_on_purpose():
    assert "ARTICLE_EXCLUDES" in unread_reason("posts/old/idea.md", MARKDOWN, POSTS, STATIC)


def test_a_file_without_a_reader_is_told_what_is_read_and_copied():
    reason = unread_reason("posts/notes.txt", MARKDOWN, POSTS, STATIC)
    assert reason.startswith("there is no reader for .txt files (posts are .markdown, .md, .mdown, .mkd)")
    assert "images/ (STATIC_PATHS)" in reason
    assert "files without an extension" in unread_reason("posts/README", MARKDOWN, POSTS, STATIC)
    assert "files without an extension" in unread_reason("posts/.md", MARKDOWN, POSTS, STATIC)


NAME_PART = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/"), min_size=1, max_size=12)


@given(
    st.lists(NAME_PART, min_size=0, max_size=3),
    NAME_PART,
    st.sampled_from(["md", "MD", "Md", "markdown", "MARKDOWN", "txt", "docx", "", "md~"]),
)
def test_every_unread_file_gets_one_line_that_fits_its_case(folders, stem, extension):
    name = f"{stem}.{extension}" if extension else stem
    reason = unread_reason("/".join([*folders, name]), MARKDOWN, POSTS, STATIC)
    assert reason and "\n" not in reason
    real_stem, dot, real_extension = name.rpartition(".")
    if not (dot and real_stem):
        assert reason.startswith("there is no reader for files without an extension")
    elif real_extension in MARKDOWN:
        assert "ARTICLE_PATHS" in reason or "ARTICLE_EXCLUDES" in reason
    elif real_extension.lower() in MARKDOWN:
        assert reason.endswith(f"rename it to {real_stem}.{real_extension.lower()}")
    else:
        assert reason.startswith(f"there is no reader for .{real_extension} files")
