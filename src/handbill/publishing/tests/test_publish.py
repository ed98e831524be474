"""Publishing for real: production builds deployed to a folder, over rsync, to a bare
git repository and into archives; refusals leave the deployed site as it was."""

import subprocess
import sys
import tarfile
import zipfile

import pytest

from handbill.publishing import PublishRefused, PublishSettingsError, publish
from handbill.publishing.tests.sample_site import HELD_COMMENT, PUBLISHED_COMMENT, SITE_URL, post
from handbill.testing.sites import PROJECT_ROOT

# Files whose content includes the time of the build (comment manifest, sitemap).
BUILD_TIME_FILES = {"comments/manifest.json", "sitemap.xml"}


def snapshot(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def change_the_site(site):
    """Edit the first post, remove the second, add a third."""
    site.files["posts/first-post.md"] = site.files["posts/first-post.md"].replace(
        "Read [the second post]({filename}second-post.md).", "Rewritten body."
    )
    del site.files["posts/second-post.md"]
    site.files["posts/third-post.md"] = post("Third Post", "third-post", "2024-06-01 09:00", "Third body.")


def test_directory_publish_dry_run_and_update(site, tmp_path):
    www = tmp_path / "www"
    settings_file = site.write({"target": "directory", "directory": str(www)})

    result = publish(settings_file)
    assert result.deployed and result.target == f"the folder {www}"
    deployed = snapshot(www)
    assert set(result.changes.new) == set(deployed)
    page = deployed["posts/2024/first-post/index.html"].decode()
    # The production settings: absolute addresses.
    assert f'href="{SITE_URL}/posts/2024/second-post/"' in page
    assert "feeds/all.atom.xml" in deployed
    assert PUBLISHED_COMMENT.id in page and HELD_COMMENT.id not in page
    assert not any("secret-plans" in path for path in deployed)

    change_the_site(site)
    settings_file = site.write({"target": "directory", "directory": str(www)})
    dry_run = publish(settings_file, dry_run=True)
    assert not dry_run.deployed
    assert "posts/2024/third-post/index.html" in dry_run.changes.new
    assert "posts/2024/first-post/index.html" in dry_run.changes.changed
    assert "posts/2024/second-post/index.html" in dry_run.changes.removed
    assert "404.html" not in dry_run.changes.changed  # unchanged files are not listed
    assert snapshot(www) == deployed  # a dry run deploys nothing

    result = publish(settings_file)
    assert result.deployed and result.changes == dry_run.changes
    updated = snapshot(www)
    assert "posts/2024/third-post/index.html" in updated
    assert "posts/2024/second-post/index.html" not in updated
    assert "Rewritten body." in updated["posts/2024/first-post/index.html"].decode()
    assert not list(tmp_path.glob(".www.*"))  # no swap folders left behind

    # Building again changes only the files that carry their build time.
    again = publish(settings_file, dry_run=True)
    assert again.changes.new == again.changes.removed == ()
    assert set(again.changes.changed) <= BUILD_TIME_FILES


def test_a_broken_link_refuses_and_leaves_the_deployment_untouched(site, tmp_path):
    www = tmp_path / "www"
    settings_file = site.write({"target": "directory", "directory": str(www)})
    publish(settings_file)
    deployed = snapshot(www)

    site.files["posts/second-post.md"] = post(
        "Second Post", "second-post", "2024-04-01 09:00", "See [the old page](/posts/2019/gone/)."
    )
    settings_file = site.write({"target": "directory", "directory": str(www)})
    with pytest.raises(PublishRefused) as refused:
        publish(settings_file)
    problems = [str(problem) for problem in refused.value.problems]
    assert "[link] posts/2024/second-post/index.html: /posts/2019/gone/ (no such file in the output)" in problems
    assert snapshot(www) == deployed


def test_a_draft_in_the_output_refuses(site, tmp_path):
    site.settings["DRAFT_SAVE_AS"] = "drafts/{slug}.html"  # Pelican's default writes drafts out
    settings_file = site.write({"target": "directory", "directory": str(tmp_path / "www")})
    with pytest.raises(PublishRefused) as refused:
        publish(settings_file)
    problems = [str(problem) for problem in refused.value.problems]
    assert any(
        p.startswith("[draft] drafts/secret-plans.html: draft 'Secret Plans' (") and p.endswith("is in the output")
        for p in problems
    ), problems
    assert not (tmp_path / "www").exists()


def test_a_held_comment_in_the_output_refuses(site, tmp_path):
    # The owner quotes the held spam comment in a post: its text would be published.
    site.files["posts/second-post.md"] = post(
        "Second Post", "second-post", "2024-04-01 09:00", f"Spam of the week: *{HELD_COMMENT.body}*."
    )
    settings_file = site.write({"target": "directory", "directory": str(tmp_path / "www")})
    with pytest.raises(PublishRefused) as refused:
        publish(settings_file)
    problems = [str(problem) for problem in refused.value.problems]
    assert (
        f"[comment] posts/2024/second-post/index.html: the text of unpublished comment "
        f"first-post/{HELD_COMMENT.id} (marked as spam on WordPress) is in it"
    ) in problems
    assert not (tmp_path / "www").exists()


def test_a_failed_build_refuses_with_its_errors(site, tmp_path):
    site.files["posts/broken.md"] = "Title: Broken\nDate: someday\n\nBody."
    settings_file = site.write({"target": "directory", "directory": str(tmp_path / "www")})
    with pytest.raises(PublishRefused) as refused:
        publish(settings_file)
    (problem,) = refused.value.problems
    assert problem.check == "build" and "broken.md" in problem.detail
    assert not (tmp_path / "www").exists()


def test_rsync_to_a_local_path(site, tmp_path):
    destination = tmp_path / "server" / "htdocs"
    settings = {"target": "rsync", "rsync": {"path": str(destination), "exclude": [".well-known/"]}}
    result = publish(site.write(settings))
    assert result.deployed and result.target == f"{destination} (rsync)"
    deployed = snapshot(destination)
    assert set(result.changes.new) == set(deployed)
    assert "posts/2024/second-post/index.html" in deployed
    # Files the host keeps for itself survive, as the exclude pattern says.
    (destination / ".well-known").mkdir()
    (destination / ".well-known" / "security.txt").write_text("Contact: https://dana.example.test/\n")

    change_the_site(site)
    settings_file = site.write(settings)
    dry_run = publish(settings_file, dry_run=True)
    assert "posts/2024/third-post/index.html" in dry_run.changes.new
    assert "posts/2024/first-post/index.html" in dry_run.changes.changed
    assert "posts/2024/second-post/index.html" in dry_run.changes.removed
    assert ".well-known/security.txt" not in dry_run.changes.removed
    assert (destination / "posts/2024/second-post/index.html").exists()

    result = publish(settings_file)
    assert result.changes == dry_run.changes
    updated = snapshot(destination)
    assert "posts/2024/second-post/index.html" not in updated
    assert "Third body." in updated["posts/2024/third-post/index.html"].decode()
    assert updated[".well-known/security.txt"].startswith(b"Contact:")
    assert oct((destination / "index.html").stat().st_mode & 0o777) == "0o644"
    assert oct(destination.stat().st_mode & 0o777) == "0o755"


def git(*arguments, cwd=None):
    return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_git_branch_of_a_bare_repository(site, tmp_path):
    repository = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(repository))
    settings = {"target": "git", "git": {"repository": str(repository), "cname": "dana.example.test"}}
    result = publish(site.write(settings))
    assert result.deployed and result.target == f"branch gh-pages of {repository}"
    assert {".nojekyll", "CNAME", "index.html"} <= set(result.changes.new)

    checkout = tmp_path / "checkout"
    git("clone", "--quiet", "--branch", "gh-pages", str(repository), str(checkout))
    files = snapshot(checkout)
    files = {path: data for path, data in files.items() if not path.startswith(".git/")}
    assert set(files) == set(result.changes.new)
    assert files["CNAME"] == b"dana.example.test\n"
    first_commit = git("rev-parse", "HEAD", cwd=checkout).strip()

    change_the_site(site)
    settings_file = site.write(settings)
    dry_run = publish(settings_file, dry_run=True)
    assert "posts/2024/third-post/index.html" in dry_run.changes.new
    assert "posts/2024/second-post/index.html" in dry_run.changes.removed
    assert git("rev-parse", "gh-pages", cwd=repository).strip() == first_commit

    publish(settings_file)
    git("pull", "--quiet", "--ff-only", cwd=checkout)
    # The new commit follows the previous one: the branch's history is kept.
    assert git("rev-parse", "HEAD~1", cwd=checkout).strip() == first_commit
    assert (checkout / "posts/2024/third-post/index.html").exists()
    assert not (checkout / "posts/2024/second-post/index.html").exists()
    assert git("log", "--format=%s", cwd=checkout).splitlines() == ["Publish the site"] * 2


@pytest.mark.parametrize("name", ["site.zip", "site.tar.gz"])
def test_archive(site, tmp_path, name):
    archive = tmp_path / "dist" / name
    settings_file = site.write({"target": "archive", "archive": str(archive)})
    result = publish(settings_file)
    if name.endswith(".zip"):
        with zipfile.ZipFile(archive) as opened:
            names = set(opened.namelist())
            page = opened.read("posts/2024/first-post/index.html").decode()
    else:
        with tarfile.open(archive) as opened:
            names = {member.name for member in opened.getmembers() if member.isfile()}
            page = opened.extractfile("posts/2024/first-post/index.html").read().decode()
    assert names == set(result.changes.new)
    assert PUBLISHED_COMMENT.body in page

    change_the_site(site)
    dry_run = publish(site.write({"target": "archive", "archive": str(archive)}), dry_run=True)
    assert "posts/2024/third-post/index.html" in dry_run.changes.new
    assert "posts/2024/second-post/index.html" in dry_run.changes.removed
    assert list(archive.parent.iterdir()) == [archive]  # no temporary files left


def test_settings_problems_stop_before_building(site, tmp_path):
    settings_file = site.write({"target": "rsync", "rsync": {"host": "example.test"}})
    with pytest.raises(PublishSettingsError) as error:
        publish(settings_file)
    assert error.value.problems == ['PUBLISH["rsync"]["path"] is not set; the rsync target needs it']
    with pytest.raises(
        PublishSettingsError, match=r"--target must be one of directory, rsync, git, archive, not 'ftp'"
    ):
        publish(settings_file, target="ftp")


def run_invoke(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(PROJECT_ROOT), *arguments],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600, check=False,
    )


def test_invoke_publish(site, tmp_path):
    www = tmp_path / "www"
    settings_file = site.write({"target": "archive", "archive": str(tmp_path / "unused.zip"), "directory": str(www)})
    result = run_invoke("publish", "--settings", str(settings_file), "--target", "directory", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "+ posts/2024/first-post/index.html" in result.stdout
    assert f"Dry run: publishing to the folder {www} would make " in result.stdout
    assert not www.exists()

    result = run_invoke("publish", "--settings", str(settings_file), "--target", "directory")
    assert result.returncode == 0, result.stderr
    assert f"Published to the folder {www}: " in result.stdout
    assert (www / "index.html").exists()

    site.files["posts/second-post.md"] = post(
        "Second Post", "second-post", "2024-04-01 09:00", "![x](/images/none.png)"
    )
    settings_file = site.write({"target": "directory", "directory": str(www)})
    result = run_invoke("publish", "--settings", str(settings_file))
    assert result.returncode == 1
    assert "publish: refused, 1 problem(s); nothing was deployed:" in result.stderr
    assert "[link] posts/2024/second-post/index.html: /images/none.png (no such file in the output)" in result.stderr
