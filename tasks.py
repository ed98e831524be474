"""Handbill's daily tasks, run with invoke from the project's virtual environment.

    .venv/bin/invoke --list

The top-level names are those of the tasks.py that ``pelican-quickstart`` writes
(clean, build, rebuild, regenerate, serve, reserve, preview, livereload, publish),
so a Pelican user finds them where they expect. Everything else is grouped by
topic: ``post.new``, ``check.links``, ``bench``, ``handouts``, ``import`` and
``comments``; a topic with one obvious action runs it by its own name
(``invoke handouts``, ``invoke import FILE``, ``invoke bench``).
"""

import datetime as dt
import shlex
import shutil
import sys
import zoneinfo
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent

try:
    from invoke import Collection, Exit, task
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file
    from pelican.utils import slugify

    from handbill.comment_service import tasks as comment_service_tasks
    from handbill.importer import tasks as importer_tasks
    from handbill.invoking import project_file, project_root, run_pelican
    from handbill.linkcheck import find_broken_links
    from handbill.livereload.cli import main as run_livereload
    from handbill.publishing import tasks as publishing_tasks
    from handbill_comments import tasks as comments_tasks
    from handbill_handouts import tasks as handouts_tasks
except ImportError:  # the tasks are being run outside .venv, before `make build`
    sys.exit(
        "Handbill is not set up here yet: run `make build` once (it creates .venv and "
        "installs the pinned packages), then run tasks as `.venv/bin/invoke TASK`."
    )

SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS_FILE_PUBLISH = "publishconf.py"
SETTINGS = {**DEFAULT_CONFIG, **get_settings_from_file(str(PROJECT_ROOT / SETTINGS_FILE_BASE))}

CONFIG = {
    # Absolute, so the tasks work the same from any folder invoke is started in.
    "settings_base": PROJECT_ROOT / SETTINGS_FILE_BASE,
    "settings_publish": PROJECT_ROOT / SETTINGS_FILE_PUBLISH,
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    "host": "127.0.0.1",
    "port": 8000,
}


@task
def clean(c):
    """Remove the generated site and Pelican's cache."""
    for path in (Path(CONFIG["deploy_path"]), Path(SETTINGS["CACHE_PATH"])):
        if path.exists():
            shutil.rmtree(path)


@task
def build(c):
    """Build the site (and its handouts) into output/ with the development settings."""
    run_pelican(["-s", CONFIG["settings_base"]])


@task
def rebuild(c):
    """`clean`, then `build`."""
    clean(c)
    build(c)


@task
def regenerate(c):
    """Rebuild whenever a file changes (no browser reload; see `livereload`)."""
    run_pelican(["-r", "-s", CONFIG["settings_base"]])


@task(help={"port": "port to listen on (default 8000)", "host": "address (default 127.0.0.1)"})
def serve(c, port=CONFIG["port"], host=CONFIG["host"]):
    """Serve output/ at http://127.0.0.1:8000/ (build first)."""

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(
        CONFIG["deploy_path"], (host, int(port)), ComplexHTTPRequestHandler
    )
    print(f"Serving {CONFIG['deploy_path']} at http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": "port to listen on (default 8000)", "host": "address (default 127.0.0.1)"})
def reserve(c, port=CONFIG["port"], host=CONFIG["host"]):
    """`build`, then `serve`."""
    build(c)
    serve(c, port=port, host=host)


@task
def preview(c):
    """Build with the production settings of publishconf.py."""
    run_pelican(["-s", CONFIG["settings_publish"]])


@task(help={"port": "port to listen on (default 8000)", "host": "address (default 127.0.0.1)"})
def livereload(c, port=CONFIG["port"], host=CONFIG["host"]):
    """Serve the site and rebuild on every save: the edited page first, then the rest, reloading the browser."""
    # One resident process (src/handbill/livereload/README.md); it restarts itself when plugin code changes.
    run_livereload(["-s", CONFIG["settings_base"], "--host", host, "--port", port])


POST_TEMPLATE = """\
Title: {title}
Date: {date}
Slug: {slug}
Author: {author}
Category: {category}
Tags: {tags}
Summary: One or two sentences that say what the reader gets from this post.
Status: draft
Handout: no

Write your post here in Markdown. Set `Status: published` when it is ready.
"""


# The default, so `invoke post "Title"` is the short form.
@task(
    default=True,
    help={
        "title": "the post's title",
        "category": "category (default: Networking)",
        "tags": "comma-separated tags",
        "directory": "where to create it (default: content/posts)",
    },
)
def new(c, title, category="Networking", tags="", directory="content/posts"):
    """Create content/posts/<slug>.md as a draft with the metadata Handbill uses."""
    # invoke hands a required positional whatever comes next, so `invoke post --help` lands here.
    if title.startswith("--"):
        raise Exit(f"post.new: {title!r} is not a title; for help run `invoke --help post.new`")
    slug = slugify(title, regex_subs=SETTINGS["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise Exit(f"post.new: cannot make a file name from the title {title!r}")
    path = (project_file(c, directory) / f"{slug}.md").resolve()
    if path.exists():
        raise Exit(f"post.new: {path} already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        POST_TEMPLATE.format(
            title=title,
            # In the site's time zone, as Pelican reads it: a post dated by the
            # machine's clock could land in the future and silently not publish.
            date=dt.datetime.now(zoneinfo.ZoneInfo(SETTINGS["TIMEZONE"])).strftime("%Y-%m-%d %H:%M"),
            slug=slug,
            author=SETTINGS["AUTHOR"],
            category=category,
            tags=tags,
        ),
        encoding="utf-8",
    )
    print(f"Created {path} (draft)")


@task(
    help={
        "output": "the built site to check (default: output/)",
        "site_url": "the address the site is published at, for absolute links (default: none)",
    }
)
def links(c, output=None, site_url=""):
    """Check every internal link, image, stylesheet, handout and feed entry of the built site."""
    output_dir = project_file(c, output) if output else Path(CONFIG["deploy_path"])
    if not (output_dir / "index.html").exists():
        raise Exit(f"check.links: {output_dir} holds no built site; run `invoke build` first")
    broken = find_broken_links(output_dir, site_url=site_url)
    for link in broken:
        print(link)
    if broken:
        raise Exit(f"check.links: {len(broken)} broken reference(s) in {output_dir}")
    print(f"check.links: every internal reference in {output_dir} resolves")


BENCHMARKS = {
    "site": "bench/site_bench.py",
    "handouts": "bench/handouts_bench.py",
    "comment-service": "bench/comment_service_load.py",
    "comment-render": "bench/comment_render_bench.py",
    "comment-publish": "bench/comment_publish_bench.py",
}


# The default, so `invoke bench --suite site` keeps its short form.
@task(
    name="run",
    default=True,
    help={
        "suite": f"which benchmark: {', '.join(BENCHMARKS)} (default: site)",
        "args": "extra arguments for the benchmark script, e.g. '--posts 1000'",
    },
)
def run_bench(c, suite="site", args=""):
    """Run a benchmark; figures go to bench/results/. Not part of the test suite."""
    if suite not in BENCHMARKS:
        raise Exit(f"bench: unknown suite {suite!r}; choose one of {', '.join(BENCHMARKS)}")
    # The benchmark scripts find the checkout from their working directory.
    with c.cd(project_root(c)):
        c.run(f"{shlex.quote(sys.executable)} {BENCHMARKS[suite]} {args}", pty=False)


def merged(name, *parts):
    """One namespace ``name`` holding the tasks of every collection in ``parts``."""
    collection = Collection(name)
    for part in parts:
        for task_name, part_task in part.tasks.items():
            collection.add_task(part_task, name=task_name, default=part.default == task_name)
    return collection


# Spelled out rather than taken from this module's names (`Collection.from_module`
# would also pick up any task merely imported here).
ns = Collection(clean, build, rebuild, regenerate, serve, reserve, preview, livereload)
for part_task in publishing_tasks.namespace.tasks.values():
    ns.add_task(part_task)
ns.add_collection(Collection("post", new))
ns.add_collection(Collection("check", links))
ns.add_collection(Collection("bench", run_bench))
ns.add_collection(handouts_tasks.namespace)
ns.add_collection(importer_tasks.namespace)
# The blogger sees one topic; the plugin (held) and the service (the rest) each keep their own tasks.
ns.add_collection(merged("comments", comments_tasks.namespace, comment_service_tasks.namespace))
ns.add_collection(comment_service_tasks.events_namespace)
# The parts' tasks resolve the files they are given against this folder.
ns.configure({"handbill": {"root": str(PROJECT_ROOT)}})
