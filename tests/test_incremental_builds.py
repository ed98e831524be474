"""Any sequence of builds gives the output a clean build of the same content gives, byte for byte.

Hypothesis generates short sequences of edits (change, add, remove and rename
posts, a rename leaving a ``Redirect-From:``, add and remove comments), each
followed by a rebuild in the same folder; the output is then compared with a
clean build of the final content in another folder. Builds run in this process
with the project's settings and plugins except the brand's web fonts, the
handouts and the search index (each costs seconds a build); tests/test_output_sync.py does one such sequence
with every plugin, in child processes as ``invoke build`` does, and
src/handbill/importer/tests/test_media.py::test_import_fetches_rewrites_and_builds_twice
an import followed by two builds.
"""

import shutil
from dataclasses import dataclass, field

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


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["add", "change", "remove", "rename", "comment", "uncomment"]), st.integers(0, 9)),
    min_size=2,
    max_size=4,
)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPERATIONS)
def test_every_rebuild_equals_a_clean_build(tmp_path_factory, operations):
    root = tmp_path_factory.mktemp("rebuilt")
    blog = Blog()
    for _ in range(3):
        blog.add()
    blog.apply("comment", 0)
    build(root, blog)
    for operation, index in operations:
        blog.apply(operation, index)
        rebuilt = build(root, blog)
    clean = build(tmp_path_factory.mktemp("clean"), blog)

    rebuilt_tree, clean_tree = tree(rebuilt.output), tree(clean.output)
    assert sorted(rebuilt_tree) == sorted(clean_tree)
    assert [name for name in clean_tree if rebuilt_tree[name] != clean_tree[name]] == []
