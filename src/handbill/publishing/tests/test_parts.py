"""The pure parts of publishing: settings, change lists, rsync's report, and the checks
run over hand-made output folders."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from handbill.core.records import format_record
from handbill.publishing.build import Draft
from handbill.publishing.changes import ChangeSet, blob_digest, compare
from handbill.publishing.checks import leaked_comments, leaked_drafts, unfit_published_comments
from handbill.publishing.settings import PublishSettingsError, load_publish_settings
from handbill.publishing.targets import parse_itemized_changes
from handbill.publishing.tests.sample_site import HELD_COMMENT, PUBLISHED_COMMENT


def test_settings_defaults_paths_and_target_override(tmp_path):
    settings = load_publish_settings(
        {"PUBLISH": {"directory": "../www", "rsync": {"path": "mirror"}, "git": {"repository": "r.git"}}},
        tmp_path,
    )
    assert settings.target == "directory"
    assert settings.directory == tmp_path / "../www"
    assert settings.rsync.path == str(tmp_path / "mirror")  # no host: a folder here
    assert (settings.git.branch, settings.git.nojekyll) == ("gh-pages", True)
    assert load_publish_settings({"PUBLISH": {"git": {"repository": "r.git"}}}, tmp_path, "git").target == "git"
    remote = load_publish_settings({"PUBLISH": {"target": "rsync", "rsync": {"host": "h", "path": "www"}}}, tmp_path)
    assert remote.rsync.path == "www"  # on the server: as given


def test_settings_problems_are_all_named(tmp_path):
    with pytest.raises(PublishSettingsError) as error:
        load_publish_settings(
            {
                "PUBLISH": {
                    "target": "git",
                    "ftp": {},
                    "archive": "site.rar",
                    "rsync": {"port": "22", "exclude": "x", "user": "dana"},
                    "git": {"nojekyll": "yes"},
                }
            },
            tmp_path,
        )
    assert error.value.problems == [
        'PUBLISH["ftp"] is not a setting (known: target, directory, rsync, git, archive)',
        "PUBLISH[\"archive\"] must end in .zip, .tar.gz, .tgz, not 'site.rar'",
        "PUBLISH[\"rsync\"][\"port\"] must be a port number, not '22'",
        "PUBLISH[\"rsync\"][\"exclude\"] must be a list of rsync patterns, not 'x'",
        'PUBLISH["rsync"]["user"] is not a setting (known: host, path, port, exclude)',
        "PUBLISH[\"git\"][\"nojekyll\"] must be True or False, not 'yes'",
        'PUBLISH["git"]["repository"] is not set; the git target needs it',
    ]


def test_compare_and_blob_digest():
    # The digest is git's: `printf hello | git hash-object --stdin`.
    assert blob_digest(b"hello") == "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0"
    changes = compare({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"})
    assert changes == ChangeSet(new=("c",), changed=("b",), removed=("d",))
    assert changes.summary() == "1 new, 1 changed, 1 removed"
    assert changes.lines() == ["+ c", "~ b", "- d"]
    assert compare({"a": "1"}, {"a": "1"}).empty


def test_rsync_itemized_changes():
    output = "\n".join(
        [
            "*deleting   old dir/page.html",
            "*deleting   old dir/",
            ">fcsT...... changed.html",
            ".f..T...... same-content.html",
            "cd+++++++++ posts/",
            ">f+++++++++ posts/new page.html",
        ]
    )
    assert parse_itemized_changes(output) == ChangeSet(
        new=("posts/new page.html",), changed=("changed.html",), removed=("old dir/page.html",)
    )


def draft():
    return Draft(
        title="Secret Plans",
        slug="secret-plans",
        source="/site/content/posts/secret-plans.md",
        paths=("posts/2024/secret-plans/index.html",),
        url="posts/2024/secret-plans/",
    )


def write(root, files):
    for relative, text in files.items():
        path = Path(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_drafts_found_by_address_name_and_feed_entry(tmp_path):
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Secret Plans</title>'
        '<link href="https://x.test/posts/2024/secret-plans/" rel="alternate"/></entry></feed>'
    )
    write(
        tmp_path,
        {
            "index.html": "<p>Nothing to see</p>",
            "posts/2024/secret-plans/handout.pdf": "%PDF",
            "handouts/secret-plans.pdf": "%PDF",
            "feeds/all.atom.xml": atom,
            "tags/secret-plans/index.html": "a tag page that shares the slug is fine",
        },
    )
    problems = sorted(str(problem) for problem in leaked_drafts(tmp_path, [draft()]))
    label = "draft 'Secret Plans' (/site/content/posts/secret-plans.md)"
    assert problems == [
        f"[draft] feeds/all.atom.xml: {label} is a feed entry",
        f"[draft] handouts/secret-plans.pdf: {label}: a file named after it",
        f"[draft] posts/2024/secret-plans/index.html: {label} is in the output",
    ]
    clean = tmp_path / "clean"
    write(clean, {"index.html": "<p>Secret plans are for later.</p>"})
    assert leaked_drafts(clean, [draft()]) == []


def test_unpublished_comments_found_by_id_and_text(tmp_path):
    comments = tmp_path / "content" / "comments"
    write(
        comments,
        {
            f"first-post/{record.id}.md": format_record(record)
            for record in (PUBLISHED_COMMENT, HELD_COMMENT)
        },
    )
    output = tmp_path / "output"
    manifest = {"posts": {"first-post": {"comment_ids": [PUBLISHED_COMMENT.id]}}}
    write(
        output,
        {
            "comments/manifest.json": json.dumps(manifest),
            "posts/first-post/index.html": (
                f'<li id="comment-{PUBLISHED_COMMENT.id}"><p>{PUBLISHED_COMMENT.body}</p></li>'
            ),
        },
    )
    assert leaked_comments(output, comments) == []
    write(output, {"search.json": json.dumps({"ids": [HELD_COMMENT.id]})})
    spam = "<p>AMAZING discounts on <em>designer</em> watches available right now, online!</p>"
    write(output, {"about/index.html": spam})
    problems = [str(problem) for problem in leaked_comments(output, comments)]
    assert problems == [
        (
            "[comment] about/index.html: the text of unpublished comment "
            f"first-post/{HELD_COMMENT.id} (marked as spam on WordPress) is in it"
        ),
        (
            f"[comment] search.json: unpublished comment first-post/{HELD_COMMENT.id} "
            "(marked as spam on WordPress) is in it"
        ),
    ]
    # Without a manifest nothing counts as published: the published comment's id is a leak too.
    (output / "comments/manifest.json").unlink()
    assert any(PUBLISHED_COMMENT.id in str(problem) for problem in leaked_comments(output, comments))


def test_published_comments_must_be_fit_to_publish(tmp_path):
    deep = replace(PUBLISHED_COMMENT, id="c-20240304-1100-cccc03", body="+ " * 496 + "x")
    comments = tmp_path / "content" / "comments"
    write(comments, {f"first-post/{record.id}.md": format_record(record) for record in (PUBLISHED_COMMENT, deep)})
    output = tmp_path / "output"
    manifest = {"posts": {"first-post": {"comment_ids": [PUBLISHED_COMMENT.id, deep.id]}}}
    page = (
        f'<li id="comment-{PUBLISHED_COMMENT.id}"><div class="comment__body"><p>Write to ann&#64;example.org'
        '</p></div></li><li id="comment-x"><div class="comment__body"><p><a href="https://example.org/" '
        'title="zoe@example.org">me</a></p></div></li><p>Site owner: dana@example.com</p>'
    )
    write(output, {"comments/manifest.json": json.dumps(manifest), "posts/first-post/index.html": page})
    assert [str(problem) for problem in unfit_published_comments(output, comments)] == [
        (
            f"[comment] comments/first-post/{deep.id}.md: published, but its body is refused: "
            "lists and quotes may nest at most 6 levels deep"
        ),
        f"[comment] posts/first-post/index.html: comment-{PUBLISHED_COMMENT.id} shows an email address",
        "[comment] posts/first-post/index.html: comment-x shows an email address",
    ]
    # Held as the build holds it, the same record is only looked for, and named with its reason if it leaks.
    write(output, {"comments/manifest.json": json.dumps({"posts": {"first-post": {"comment_ids": []}}}),
                   "posts/first-post/index.html": f'<li id="comment-{deep.id}"></li>'})
    assert unfit_published_comments(output, comments) == []
    assert f"[comment] posts/first-post/index.html: unpublished comment first-post/{deep.id} (body refused: " in (
        "\n".join(str(problem) for problem in leaked_comments(output, comments))
    )
