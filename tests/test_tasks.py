"""The invoke tasks, run as a blogger runs them."""

import re
import subprocess
import sys

from handbill.testing.sites import PROJECT_ROOT, build

INVOKE = [sys.executable, "-m", "invoke"]


def invoke(*args, cwd=PROJECT_ROOT):
    return subprocess.run([*INVOKE, *args], check=False, cwd=cwd, capture_output=True, text=True, timeout=300)


# pelican-quickstart's names at the top level, everything else by topic.
TOP_LEVEL = {"clean", "build", "rebuild", "regenerate", "serve", "reserve", "preview", "livereload", "publish"}
BY_TOPIC = {
    "post.new", "check.links", "bench.run", "handouts.build", "handouts.clean", "import.blog",
    "comments.held", "comments.serve", "comments.pending", "comments.approve", "comments.reject",
    "comments.reply", "comments.export", "comments.retry-mail",
    "comments.dev", "comments.sync", "comments.publish-now",
    "comments.forget", "comments.person", "comments.backup", "events.report",
}
# A topic with one obvious action runs it by the topic's name.
SHORT_FORMS = {"post": "post.new", "bench": "bench.run", "handouts": "handouts.build", "import": "import.blog"}

TASK_MODULES = [
    PROJECT_ROOT / "tasks.py",
    PROJECT_ROOT / "src" / "handbill" / "invoking.py",
    *sorted(PROJECT_ROOT.glob("plugins/handbill_*/tasks.py")),
    *sorted(PROJECT_ROOT.glob("src/handbill/**/tasks.py")),
]


def test_task_list_shows_exactly_the_naming_scheme():
    listing = invoke("--list").stdout
    # A task's line starts with two spaces; its wrapped docstring is indented further.
    listed = dict(re.findall(r"^  (\S+)(?: \((\S+)\))?", listing, flags=re.MULTILINE))
    assert set(listed) == TOP_LEVEL | BY_TOPIC
    assert {short: name for name, short in listed.items() if short} == SHORT_FORMS


def test_task_modules_report_failure_with_invokes_exit_and_never_change_directory():
    assert len(TASK_MODULES) >= 7
    for path in TASK_MODULES:
        text = path.read_text(encoding="utf-8")
        assert "os.chdir(" not in text, path
        allowed = 0
        if path == PROJECT_ROOT / "tasks.py":
            # Before `make build` invoke may be missing, so only a plain exit can say what to do.
            handler = text.partition("except ImportError:")[2]
            assert handler.split("\n", 2)[1].strip().startswith("sys.exit("), path
            allowed = 1
        assert text.count("sys.exit(") == allowed, path


def test_a_topics_short_form_takes_its_default_tasks_options():
    result = invoke("bench", "--suite", "site", "--args", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: site_bench.py" in result.stdout


def test_new_post_creates_a_draft_that_is_not_published_until_its_status_changes(tmp_path):
    result = invoke(
        "post.new", "Coffee -- with a stranger?", "--tags", "events, small talk", "--directory", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    created = tmp_path / "coffee-with-a-stranger.md"
    text = created.read_text()
    for line in ("Title: Coffee -- with a stranger?", "Slug: coffee-with-a-stranger", "Status: draft",
                 "Tags: events, small talk", "Handout: no"):
        assert line in text, line
    # Comments follow the site's policy unless the author adds `Comments: closed` or `hidden`.
    assert "Comments:" not in text
    again = invoke("post.new", "Coffee -- with a stranger?", "--directory", str(tmp_path))
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
        check=False, cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "run `make build` once" in result.stderr


def test_check_links_task_reports_broken_links_and_fails(tmp_path):
    site = build(tmp_path, {"posts/a.md": "Title: A\nDate: 2024-01-01\n\n[nowhere](../missing/)\n"})
    result = invoke("check.links", "--output", str(site.output))
    assert result.returncode == 1
    # The post and its summary on the index both carry the link.
    assert "posts/2024/a/index.html: ../missing/ (no such file in the output)" in result.stdout
    assert "index.html: ../missing/ (no such file in the output)" in result.stdout
    assert "2 broken reference(s)" in result.stderr
    fixed = build(tmp_path / "fixed", {"posts/a.md": "Title: A\nDate: 2024-01-01\n\n[home](../../../)\n"})
    result = invoke("check.links", "--output", str(fixed.output))
    assert result.returncode == 0, result.stdout


def test_handouts_clean_refuses_a_bad_handouts_setting_and_removes_nothing(tmp_path):
    site = build(tmp_path, {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nText.\n"})
    (site.output / "handouts").mkdir(exist_ok=True)
    settings = site.settings_file
    settings.write_text(settings.read_text() + "HANDOUTS = {'output_dir': '../elsewhere', 'page_budget': 0}\n")
    result = invoke("handouts.clean", "--settings", str(settings))
    assert result.returncode != 0
    assert 'HANDOUTS["output_dir"]' in result.stderr and 'HANDOUTS["page_budget"]' in result.stderr
    assert (site.output / "handouts").is_dir()
