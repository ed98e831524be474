"""The invoke tasks, run as a blogger runs them."""

import subprocess
import sys

from handbill.testing.sites import PROJECT_ROOT, build

INVOKE = [sys.executable, "-m", "invoke"]


def invoke(*args, cwd=PROJECT_ROOT):
    return subprocess.run([*INVOKE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_task_list_names_the_daily_tasks():
    listing = invoke("--list").stdout
    for name in ("build", "rebuild", "clean", "serve", "livereload", "new-post", "preview", "linkcheck", "bench"):
        assert f"  {name}" in listing, name


def test_new_post_creates_a_draft_that_is_not_published_until_its_status_changes(tmp_path):
    result = invoke("new-post", "Coffee -- with a stranger?", "--tags", "events, small talk", "--directory", str(tmp_path))
    assert result.returncode == 0, result.stderr
    created = tmp_path / "coffee-with-a-stranger.md"
    text = created.read_text()
    for line in ("Title: Coffee -- with a stranger?", "Slug: coffee-with-a-stranger", "Status: draft",
                 "Tags: events, small talk", "Handout: no"):
        assert line in text, line
    # Comments follow the site's policy unless the author adds `Comments: closed` or `hidden`.
    assert "Comments:" not in text
    again = invoke("new-post", "Coffee -- with a stranger?", "--directory", str(tmp_path))
    assert again.returncode != 0 and "already exists" in again.stderr

    draft_site = build(tmp_path / "draft", {"posts/coffee.md": text})
    assert not list(draft_site.output.glob("posts/**/index.html"))
    published = build(tmp_path / "published", {"posts/coffee.md": text.replace("Status: draft", "Status: published")})
    year = text.split("Date: ")[1][:4]
    assert published.exists(f"posts/{year}/coffee-with-a-stranger/index.html")


def test_tasks_run_before_set_up_say_what_to_do(tmp_path):
    # A Python without the project's packages, as on a machine before `make build`.
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    result = subprocess.run(
        [str(bare / "bin" / "python"), "-c", "import runpy; runpy.run_path('tasks.py')"],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "run `make build` once" in result.stderr


def test_linkcheck_task_reports_broken_links_and_fails(tmp_path):
    site = build(tmp_path, {"posts/a.md": "Title: A\nDate: 2024-01-01\n\n[nowhere](../missing/)\n"})
    result = invoke("linkcheck", "--output", str(site.output))
    assert result.returncode == 1
    # The post and its summary on the index both carry the link.
    assert "posts/2024/a/index.html: ../missing/ (no such file in the output)" in result.stdout
    assert "index.html: ../missing/ (no such file in the output)" in result.stdout
    assert "2 broken reference(s)" in result.stderr
    fixed = build(tmp_path / "fixed", {"posts/a.md": "Title: A\nDate: 2024-01-01\n\n[home](../../../)\n"})
    result = invoke("linkcheck", "--output", str(fixed.output))
    assert result.returncode == 0, result.stdout
