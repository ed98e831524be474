"""handbill_unread_sources in real builds: alone on Pelican's defaults, and with the project's plugins."""

from handbill.testing.plugin_site import assert_alone, build_in_process, build_with_only
from handbill.testing.sites import PROJECT_ROOT, project_settings

PLUGIN = "handbill_unread_sources"
FOLDERS = {"ARTICLE_PATHS": ["posts"], "PAGE_PATHS": ["pages"], "STATIC_PATHS": ["images"]}
PNG = bytes.fromhex("89504e470d0a1a0a")  # the signature is enough: static files are copied, not decoded


def post(title, body="Body."):
    return f"Title: {title}\nDate: 2024-03-01 09:00\n\n{body}\n"


def unread_warnings(caplog):
    return sorted(
        record.getMessage() for record in caplog.records if record.getMessage().startswith("Not part of the site")
    )


def test_every_file_nothing_read_is_named_once_and_the_rest_build(tmp_path, caplog):
    files = {
        "posts/good.md": post("Good", "See ![photo]({static}photo.png)."),
        "posts/photo.png": PNG,  # linked from a post: copied
        "posts/unlinked.png": PNG,
        "posts/Spring Plan.MD": post("Spring"),
        "posts/notes.txt": "to do\n",
        "posts/.DS_Store": b"\0",  # hidden: Pelican's IGNORE_FILES
        "posts/broken.md": "Title: Broken\nDate: someday\n\nBody.\n",  # Pelican reports it
        "pages/about.md": post("About"),
        "images/logo.png": PNG,
        "loose-post.md": post("Loose"),
    }
    site = build_with_only(PLUGIN, files, tmp_path, **FOLDERS)
    assert_alone(site, PLUGIN)
    assert site.exists("good.html") and site.exists("posts/photo.png") and site.exists("pages/about.html")

    named = {message.split(" is not read, because ")[0]: message for message in unread_warnings(caplog)}
    reasons = {
        path: named[f"Not part of the site: {site.content / path}"].split(" because ")[1]
        for path in ("loose-post.md", "posts/Spring Plan.MD", "posts/notes.txt", "posts/unlinked.png")
    }
    assert len(named) == len(reasons)  # nothing else: not the linked image, the hidden file nor the broken post
    assert reasons["loose-post.md"] == (
        "posts and pages are read only from posts/, pages/ (ARTICLE_PATHS, PAGE_PATHS): move it into one of them"
    )
    assert reasons["posts/Spring Plan.MD"].endswith("(lower case) are read: rename it to Spring Plan.md")
    for path, extension in (("posts/notes.txt", ".txt"), ("posts/unlinked.png", ".png")):
        assert reasons[path].startswith(f"there is no reader for {extension} files (posts are ")
        assert reasons[path].endswith(
            "only files under images/ (STATIC_PATHS) are copied as they are unless a post links to them"
        )


def test_a_file_listed_in_ignore_files_is_left_alone(tmp_path, caplog):
    files = {"posts/good.md": post("Good"), "posts/notes.txt": "to do\n"}
    build_with_only(PLUGIN, files, tmp_path, IGNORE_FILES=["**/.*", "*.txt"], **FOLDERS)
    assert unread_warnings(caplog) == []


# Each costs seconds a build and reads nothing from content/ that the others do not.
SLOW_PLUGINS = {"handbill_brand", "handbill_handouts", "handbill_search"}
OWN_FOLDERS = {"PATH", "OUTPUT_PATH", "CACHE_PATH", "PLUGINS"}


def test_the_sample_site_has_no_file_nothing_reads(tmp_path, caplog):
    """Comment records and event descriptions are read by their plugins, not by Pelican: no false alarm."""
    content = PROJECT_ROOT / "content"
    files = {path.relative_to(content).as_posix(): path.read_bytes() for path in content.rglob("*") if path.is_file()}
    assert any(name.startswith("comments/") for name in files) and any(name.startswith("events/") for name in files)
    project = project_settings()
    values = {name: value for name, value in project.items() if name not in OWN_FOLDERS}
    plugins = [name for name in project["PLUGINS"] if name not in SLOW_PLUGINS]
    assert PLUGIN in plugins
    build_in_process(files, tmp_path, plugins, **values)
    assert unread_warnings(caplog) == []
    files["comments/notes.txt"] = "moderation notes\n"
    build_in_process(files, tmp_path, plugins, **values)
    assert [message.split(" is not read")[0] for message in unread_warnings(caplog)] == [
        f"Not part of the site: {tmp_path / 'content' / 'comments' / 'notes.txt'}"
    ]
