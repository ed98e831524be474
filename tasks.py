"""Handbill's daily tasks, run with invoke from the project's virtual environment.

    .venv/bin/invoke --list

Task names follow the tasks.py that ``pelican-quickstart`` writes where they overlap.
"""

import datetime
import shlex
import shutil
import sys
import zoneinfo
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent

try:
    from invoke import Collection, Exit, task
    from handbill.linkcheck import find_broken_links
    from handbill.invoking import run_pelican
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file
    from pelican.utils import slugify
except ImportError:  # the tasks are being run outside .venv, before `make build`
    sys.exit(
        "Handbill is not set up here yet: run `make build` once (it creates .venv and "
        "installs the pinned packages), then run tasks as `.venv/bin/invoke TASK`."
    )

SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS_FILE_PUBLISH = "publishconf.py"
SETTINGS = {**DEFAULT_CONFIG, **get_settings_from_file(str(PROJECT_ROOT / SETTINGS_FILE_BASE))}

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": SETTINGS_FILE_PUBLISH,
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    "host": "127.0.0.1",
    "port": 8000,
}


def pelican_run(cmd):
    """Run Pelican in this process, as pelican-quickstart's tasks do."""
    run_pelican(shlex.split(cmd))


@task
def clean(c):
    """Remove the generated site and Pelican's cache."""
    for path in (Path(CONFIG["deploy_path"]), Path(SETTINGS["CACHE_PATH"])):
        if path.exists():
            shutil.rmtree(path)


@task
def build(c):
    """Build the site (and its handouts) into output/ with the development settings."""
    pelican_run("-s {settings_base}".format(**CONFIG))


@task
def rebuild(c):
    """`clean`, then `build`."""
    clean(c)
    build(c)


@task
def regenerate(c):
    """Rebuild whenever a file changes (no browser reload; see `livereload`)."""
    pelican_run("-r -s {settings_base}".format(**CONFIG))


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
    pelican_run("-s {settings_publish}".format(**CONFIG))


@task(help={"port": "port to listen on (default 8000)", "host": "address (default 127.0.0.1)"})
def livereload(c, port=CONFIG["port"], host=CONFIG["host"]):
    """Serve the site, rebuild on changes in content/, theme/ and plugins/, reload the browser."""
    from livereload import Server

    def build_and_keep_serving():
        # A broken post fails the build; the server stays up so the fix shows on save.
        try:
            build(c)
        except Exit as failed:
            print(f"Build failed (exit status {failed.code}); fix the error above and save again.")

    build_and_keep_serving()
    server = Server()
    watched = [
        SETTINGS_FILE_BASE,
        f"{SETTINGS['PATH']}/**/*",
        f"{SETTINGS['THEME']}/**/*",
        *(f"{folder}/**/*.{kind}" for folder in ("plugins", "src") for kind in ("py", "html", "css")),
    ]
    for pattern in watched:
        server.watch(pattern, build_and_keep_serving)
    server.serve(host=host, port=int(port), root=CONFIG["deploy_path"])


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


@task(
    help={
        "title": "the post's title",
        "category": "category (default: Networking)",
        "tags": "comma-separated tags",
        "directory": "where to create it (default: content/posts)",
    }
)
def new_post(c, title, category="Networking", tags="", directory="content/posts"):
    """Create content/posts/<slug>.md as a draft with the metadata Handbill uses."""
    slug = slugify(title, regex_subs=SETTINGS["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        sys.exit(f"new-post: cannot make a file name from the title {title!r}")
    path = (PROJECT_ROOT / directory / f"{slug}.md").resolve()
    if path.exists():
        sys.exit(f"new-post: {path} already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        POST_TEMPLATE.format(
            title=title,
            # In the site's time zone, as Pelican reads it: a post dated by the
            # machine's clock could land in the future and silently not publish.
            date=datetime.datetime.now(zoneinfo.ZoneInfo(SETTINGS["TIMEZONE"])).strftime("%Y-%m-%d %H:%M"),
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
def linkcheck(c, output=None, site_url=""):
    """Check every internal link, image, stylesheet, handout and feed entry of the built site."""
    output_dir = Path(output or CONFIG["deploy_path"])
    if not (output_dir / "index.html").exists():
        sys.exit(f"linkcheck: {output_dir} holds no built site; run `invoke build` first")
    broken = find_broken_links(output_dir, site_url=site_url)
    for link in broken:
        print(link)
    if broken:
        sys.exit(f"linkcheck: {len(broken)} broken reference(s) in {output_dir}")
    print(f"linkcheck: every internal reference in {output_dir} resolves")


BENCHMARKS = {
    "site": "bench/site_bench.py",
    "handouts": "bench/handouts_bench.py",
    "comment-service": "bench/comment_service_load.py",
}


@task(
    help={
        "suite": f"which benchmark: {', '.join(BENCHMARKS)} (default: site)",
        "args": "extra arguments for the benchmark script, e.g. '--posts 1000'",
    }
)
def bench(c, suite="site", args=""):
    """Run a benchmark; figures go to bench/results/. Not part of the test suite."""
    if suite not in BENCHMARKS:
        sys.exit(f"bench: unknown suite {suite!r}; choose one of {', '.join(BENCHMARKS)}")
    c.run(f"{shlex.quote(sys.executable)} {BENCHMARKS[suite]} {args}", pty=False)


# The parts' tasks, kept beside each part.
from handbill.comment_service import tasks as comment_service_tasks  # noqa: E402
from handbill.importer.tasks import import_export  # noqa: E402
from handbill.publishing.tasks import publish  # noqa: E402
from handbill_comments import tasks as comments_tasks  # noqa: E402
from handbill_handouts.tasks import handouts, handouts_clean  # noqa: E402

ns = Collection.from_module(sys.modules[__name__])
for part_task in (import_export, publish, handouts, handouts_clean):
    ns.add_task(part_task)
comments_collection = Collection.from_module(comments_tasks, name="comments")
for service_task in Collection.from_module(comment_service_tasks).tasks.values():
    comments_collection.add_task(service_task)
ns.add_collection(comments_collection)
# The parts' tasks resolve the files they are given against this folder.
ns.configure({"handbill": {"root": str(PROJECT_ROOT)}})
