"""Any sequence of builds gives the output a clean build of the same content gives, byte for byte.

Hypothesis generates short sequences of changes, each followed by a rebuild in
the same folder; the output is then compared with a clean build of the final
content in another folder. One test edits, adds, removes and renames posts (a
rename leaving a ``Redirect-From:``) and adds and removes comments; the other
changes the rest of what a site is built from, as an owner does between two
builds: a post's date (which moves its page to another year's folder), tags,
title or draft status, a page, a static image, a setting, a theme template or
stylesheet. Builds run in this process with the project's settings (the
content cache and the render record as they have them) and plugins except the
brand's web fonts, the handouts and the search index (each costs seconds a
build); tests/test_output_sync.py does one such sequence with every plugin, in
child processes as ``invoke build`` does, and
src/handbill/importer/tests/test_media.py::test_import_fetches_rewrites_and_builds_twice
an import followed by two builds.
"""

import shutil
from dataclasses import dataclass, field, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.testing.plugin_site import build_in_process
from handbill.testing.sites import PROJECT_IMAGES, PROJECT_ROOT, project_settings
from handbill_comments.tests.sitecontent import comment
from handbill_output_sync.sync import files_in

SLOW_PLUGINS = {"handbill_brand", "handbill_handouts", "handbill_search"}
OWN_FOLDERS = {"PATH", "OUTPUT_PATH", "CACHE_PATH", "PLUGINS"}


def site_settings():
    project = project_settings()
    values = {name: value for name, value in project.items() if name not in OWN_FOLDERS}
    return values, [name for name in project["PLUGINS"] if name not in SLOW_PLUGINS]


@dataclass
class Blog:
    """The content, as the edits leave it: {slug: (body, old slug or None)} and comment ids per slug."""

    posts: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    made: int = 0

    def new_slug(self):
        self.made += 1
        return f"post-{self.made}"

    def add(self):
        slug = self.new_slug()
        self.posts[slug] = (f"Post {slug}.", None)
        self.comments[slug] = []

    def pick(self, index):
        return sorted(self.posts)[index % len(self.posts)] if self.posts else None

    def apply(self, operation, index):
        slug = self.pick(index)
        if operation == "add" or slug is None:
            self.add()
        elif operation == "change":
            body, old = self.posts[slug]
            self.posts[slug] = (body + " Edited.", old)
        elif operation == "remove":
            del self.posts[slug], self.comments[slug]
        elif operation == "rename":
            new = self.new_slug()
            self.posts[new] = (self.posts.pop(slug)[0], slug)
            self.comments[new] = []
            del self.comments[slug]
        elif operation == "comment":
            self.made += 1
            self.comments[slug].append(f"c-20240201-1000-{self.made:06d}")
        elif operation == "uncomment" and self.comments[slug]:
            self.comments[slug].pop(0)

    def files(self):
        files = {name: (PROJECT_ROOT / "content" / name).read_bytes() for name in PROJECT_IMAGES}
        for number, (slug, (body, old)) in enumerate(sorted(self.posts.items()), start=1):
            redirect = f"Redirect-From: /posts/2024/{old}/\n" if old else ""
            files[f"posts/{slug}.md"] = (
                f"Title: Post {slug}\nDate: 2024-01-{number:02d} 09:00\nSlug: {slug}\nTags: t{number % 2}\n"
                f"{redirect}\n{body}\n"
            )
            for comment_id in self.comments[slug]:
                files.update(comment(slug, comment_id, date="2024-02-01T10:00:00+00:00"))
        return files


def build(root, blog):
    for folder in ("posts", "comments"):
        shutil.rmtree(root / "content" / folder, ignore_errors=True)
    values, plugins = site_settings()
    return build_in_process(blog.files(), root, plugins, **values)


def tree(folder):
    return {name: (folder / name).read_bytes() for name in files_in(folder)}


def changes(kinds):
    """Two to four changes: (kind, which post it picks)."""
    return st.lists(st.tuples(st.sampled_from(kinds), st.integers(0, 9)), min_size=2, max_size=4)


def assert_rebuilds_equal_a_clean_build(tmp_path_factory, state, builder, applied):
    """``builder(root, state)`` builds ``state``; after each of the ``applied`` changes it
    rebuilds in the same folder, and the output then equals a clean build of the final
    state, byte for byte."""
    root = tmp_path_factory.mktemp("rebuilt")
    rebuilt = builder(root, state)
    for kind, index in applied:
        state.apply(kind, index)
        rebuilt = builder(root, state)
    clean = builder(tmp_path_factory.mktemp("clean"), state)

    rebuilt_tree, clean_tree = tree(rebuilt.output), tree(clean.output)
    assert sorted(rebuilt_tree) == sorted(clean_tree)
    assert [name for name in clean_tree if rebuilt_tree[name] != clean_tree[name]] == []


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes(["add", "change", "remove", "rename", "comment", "uncomment"]))
def test_every_rebuild_equals_a_clean_build(tmp_path_factory, operations):
    blog = Blog()
    for _ in range(3):
        blog.add()
    blog.apply("comment", 0)
    assert_rebuilds_equal_a_clean_build(tmp_path_factory, blog, build, operations)


TAG_SETS = (("alpha",), ("alpha", "beta"), ("gamma",), ())
SUBTITLES = ("Notes on networking", "Notes on meeting people", "")
# The static image a post shows while it exists: two different pictures, or none.
EXTRA_IMAGES = (None, "images/mark.svg", "images/portrait.svg")
THEME_MARKS = ("", "<!-- theme, second version -->", "<!-- theme, third version -->")


@dataclass(frozen=True)
class Post:
    title: str
    year: int = 2024
    tags: tuple = ("alpha",)
    draft: bool = False


@dataclass
class Site:
    """Everything a build reads, as the changes leave it."""

    posts: dict = field(default_factory=dict)  # {slug: Post}
    page_text: str | None = "About this site."
    extra_image: int = 0  # an index of EXTRA_IMAGES
    subtitle: int = 0  # of SUBTITLES
    template_mark: int = 0  # of THEME_MARKS
    stylesheet_edits: int = 0

    def pick(self, index):
        return sorted(self.posts)[index % len(self.posts)]

    def apply(self, change, index):
        slug = self.pick(index)
        post = self.posts[slug]
        if change == "redate":
            self.posts[slug] = replace(post, year=2023 if post.year == 2024 else 2024)
        elif change == "retag":
            self.posts[slug] = replace(post, tags=TAG_SETS[(TAG_SETS.index(post.tags) + 1) % len(TAG_SETS)])
        elif change == "retitle":
            self.posts[slug] = replace(post, title=post.title + " again")
        elif change == "draft":
            self.posts[slug] = replace(post, draft=not post.draft)
        elif change == "page":
            self.page_text = None if self.page_text else f"About this site, take {index}."
        elif change == "image":
            self.extra_image = (self.extra_image + 1) % len(EXTRA_IMAGES)
        elif change == "setting":
            self.subtitle = (self.subtitle + 1) % len(SUBTITLES)
        elif change == "template":
            self.template_mark = (self.template_mark + 1) % len(THEME_MARKS)
        elif change == "stylesheet":
            self.stylesheet_edits += 1

    def files(self):
        files = {name: (PROJECT_ROOT / "content" / name).read_bytes() for name in PROJECT_IMAGES}
        extra = EXTRA_IMAGES[self.extra_image]
        if extra is not None:
            files["images/extra.svg"] = (PROJECT_ROOT / "content" / extra).read_bytes()
        for number, (slug, post) in enumerate(sorted(self.posts.items()), start=1):
            picture = "\n![A picture]({static}/images/extra.svg)\n" if extra is not None and number == 1 else ""
            files[f"posts/{slug}.md"] = (
                f"Title: {post.title}\nDate: {post.year}-03-{number:02d} 09:00\nSlug: {slug}\n"
                f"Tags: {', '.join(post.tags)}\n{'Status: draft' + chr(10) if post.draft else ''}"
                f"\nThe text of {slug}.\n{picture}"
            )
        if self.page_text is not None:
            files["pages/about.md"] = f"Title: About\nSlug: about\n\n{self.page_text}\n"
        return files

    def theme(self, root):
        """The project's theme, copied into ``root`` with this site's changes to it; a file is
        written only when its text changes, as an editor leaves the others alone."""
        theme = root / "theme"
        if not theme.exists():
            shutil.copytree(PROJECT_ROOT / "theme", theme)
        base = PROJECT_ROOT / "theme" / "templates" / "base.html"
        stylesheet = PROJECT_ROOT / "theme" / "static" / "css" / "handbill.css"
        texts = {
            theme / "templates" / "base.html": base.read_text(encoding="utf-8").replace(
                "</body>", THEME_MARKS[self.template_mark] + "</body>"
            ),
            theme / "static" / "css" / "handbill.css": stylesheet.read_text(encoding="utf-8")
            + "".join(f"/* edit {number} */\n" for number in range(self.stylesheet_edits)),
        }
        for path, text in texts.items():
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        return theme


def build_site(root, site):
    for folder in ("posts", "pages", "images"):
        shutil.rmtree(root / "content" / folder, ignore_errors=True)
    values, plugins = site_settings()
    values = {**values, "THEME": str(site.theme(root)), "SITESUBTITLE": SUBTITLES[site.subtitle]}
    return build_in_process(site.files(), root, plugins, **values)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes(["redate", "retag", "retitle", "draft", "page", "image", "setting", "template", "stylesheet"]))
def test_every_rebuild_equals_a_clean_build_whatever_input_changed(tmp_path_factory, site_changes):
    site = Site(posts={f"post-{number}": Post(title=f"Post {number}") for number in range(1, 4)})
    assert_rebuilds_equal_a_clean_build(tmp_path_factory, site, build_site, site_changes)
