"""Decide, for the whole site, which comment records are published: pure (no Pelican, no I/O).

Input is what was read from ``content/comments/`` (a record or the
RecordError for each file) and the posts the build knows. Output is each
post's comments state, thread and rendered bodies, plus two lists the build reports:

* ``held``: records the policy or the owner holds back, and records whose
  body cannot be published as it is (refused by ``bodies.body_problem``,
  failing to render, or still showing an email address) (expected: warnings);
* ``broken``: records that cannot be placed — broken metadata, a file whose
  folder or name disagrees with ``Post:`` or ``Id:``, an unknown post slug, a reply to a
  missing comment (mistakes to fix: errors, so the build fails naming them).

Neither is ever published, and nothing is deleted.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from handbill.core.policy import comments_state, hold_reason, judge_name
from handbill.core.records import RecordError

from .threads import Thread, build_thread


@dataclass(frozen=True)
class PostInfo:
    """What the review needs of a post."""

    slug: str
    date: datetime
    override: str | None  # the post's Comments: mode, None when not given


@dataclass
class PostComments:
    state: object  # policy.CommentsState
    thread: Thread
    bodies: dict = field(default_factory=dict)  # comment id -> its body's safe HTML, for every shown record


@dataclass
class Review:
    posts: dict  # slug -> PostComments
    held: list = field(default_factory=list)  # (path, reason)
    broken: list = field(default_factory=list)  # (path, reason)


def review_comments(files, posts, settings, now, *, rendered_body, judged_name=judge_name, unpublished_slugs=()):
    """Review ``files`` [(path, CommentRecord | RecordError)] against ``posts`` {slug: PostInfo}.

    Bodies are rendered here, with ``rendered_body`` (body text → ``(html, None)``
    or ``(None, why it is held)``, as rendering.render_body gives), so a body
    that cannot be published is held like any other record and the held list
    stays the one account of what is not on the site. Names are judged with
    ``judged_name`` (as ``policy.judge_name``). Records of posts in
    ``unpublished_slugs`` (drafts) are held until the post is published.
    """
    review = Review(posts={})
    records_by_slug, path_of = {}, {}
    for path, result in sorted(files, key=lambda item: str(item[0])):
        if isinstance(result, RecordError):
            review.broken.append((path, result.reason))
            continue
        problem = _placement_problem(Path(path), result)
        if problem:
            review.broken.append((path, problem))
        elif result.post in posts:
            records_by_slug.setdefault(result.post, []).append(result)
            path_of[(result.post, result.id)] = path
        elif result.post in unpublished_slugs:
            review.held.append((path, f"post {result.post!r} is not published"))
        else:
            review.broken.append((path, f"Post: no published post has the slug {result.post!r}"))

    for slug, post in posts.items():
        state = comments_state(settings, post.date, post.override, now)
        records = records_by_slug.get(slug, [])
        if state.mode == "hidden":
            review.posts[slug] = PostComments(state, build_thread([]))
            continue
        shown, held_ids, bodies = [], set(), {}
        for record in records:
            html, reason = None, hold_reason(record, settings, state, judged_name)
            if not reason:
                html, reason = rendered_body(record.body)
            if reason:
                held_ids.add(record.id)
                review.held.append((path_of[(slug, record.id)], reason))
            else:
                shown.append(record)
                bodies[record.id] = html
        thread = build_thread(shown, held_ids)
        review.held.extend((path_of[(slug, r.id)], reason) for r, reason in thread.held_replies)
        review.broken.extend((path_of[(slug, r.id)], reason) for r, reason in thread.broken)
        review.posts[slug] = PostComments(state, thread, bodies)
    return review


def _placement_problem(path, record):
    """The file must sit where record_path puts it, so ids stay unique per post."""
    if path.parent.name != record.post:
        return f"Post: {record.post!r} but the file is in the folder {path.parent.name!r}"
    if path.name != f"{record.id}.md":
        return f"Id: {record.id!r} but the file is named {path.name!r} (expected {record.id}.md)"
    return None
