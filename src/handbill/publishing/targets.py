"""Where a checked build goes, and how it gets there without a half-published state.

Every target can ``plan`` (the ChangeSet a deployment would make, for dry
runs) and ``deploy`` a finished site folder:

- ``DirectoryTarget``: a folder any web server serves. The new site is
  copied next to it and swapped in with two renames.
- ``RsyncTarget``: a folder on a server, over SSH (or on this machine when no
  host is set). rsync puts every changed file in place at the end of the
  transfer (``--delay-updates``) and deletes old files after that.
- ``GitTarget``: a branch of a git repository (GitHub Pages' ``gh-pages``),
  committed on top of what the branch holds and pushed in one push.
- ``ArchiveTarget``: a .zip or .tar.gz of the site for hosts that take an
  upload (Netlify Drop, a control panel); written whole, then renamed.
"""

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import uuid
import zipfile
from pathlib import Path

from handbill.core.atomic import atomic_file

from .changes import ChangeSet, blob_digest, compare, folder_digests


class DeployError(RuntimeError):
    """A deployment step failed; nothing was half-published (see each target)."""


def _run(command, what, **kwargs):
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    except FileNotFoundError:
        raise DeployError(f"{what}: {command[0]} is not installed") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise DeployError(f"{what} failed (exit status {result.returncode}): {output}")
    return result.stdout


class DirectoryTarget:
    name = "directory"

    def __init__(self, path):
        self.path = Path(path)

    def describe(self):
        return f"the folder {self.path}"

    def prepare(self, site):
        pass

    def plan(self, site):
        deployed = folder_digests(self.path) if self.path.is_dir() else {}
        return compare(folder_digests(site), deployed)

    def deploy(self, site):
        destination = self.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        # Beside the destination, so both renames stay on one file system.
        incoming = Path(tempfile.mkdtemp(prefix=f".{destination.name}.incoming-", dir=destination.parent))
        try:
            shutil.copytree(site, incoming, dirs_exist_ok=True)
            incoming.chmod(0o755)
        except OSError as error:
            shutil.rmtree(incoming, ignore_errors=True)
            raise DeployError(f"copying the site next to {destination} failed: {error}") from None
        previous = None
        if destination.exists():
            previous = destination.with_name(f".{destination.name}.previous-{uuid.uuid4().hex[:8]}")
            destination.rename(previous)
        try:
            incoming.rename(destination)
        except OSError as error:
            if previous is not None:
                previous.rename(destination)
            shutil.rmtree(incoming, ignore_errors=True)
            raise DeployError(f"putting the new site in place at {destination} failed: {error}") from None
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)


class RsyncTarget:
    name = "rsync"

    def __init__(self, host, path, port=None, exclude=()):
        self.host = host
        self.path = path
        self.port = port
        self.exclude = tuple(exclude)

    def describe(self):
        return f"{self.host}:{self.path} (rsync over SSH)" if self.host else f"{self.path} (rsync)"

    def _destination(self):
        return f"{self.host}:{self.path.rstrip('/')}/" if self.host else f"{self.path.rstrip('/')}/"

    def _options(self):
        options = ["--recursive", "--links", "--checksum", "--delete"]
        if self.host:
            ssh = ["ssh", *(["-p", str(self.port)] if self.port else [])]
            options += ["--compress", "--rsh", " ".join(ssh)]
        options += [f"--exclude={pattern}" for pattern in self.exclude]
        return options

    def prepare(self, site):
        if not self.host:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    def plan(self, site):
        output = _run(
            ["rsync", "--dry-run", "--itemize-changes", "--out-format=%i %n", *self._options(),
             f"{site}/", self._destination()],
            f"rsync --dry-run to {self.describe()}",
        )
        return parse_itemized_changes(output)

    def deploy(self, site):
        _run(
            ["rsync", *self._options(), "--perms", "--times", "--delay-updates", "--delete-after",
             f"{site}/", self._destination()],
            f"rsync to {self.describe()}",
        )


def parse_itemized_changes(output):
    """The ChangeSet in rsync's ``--itemize-changes --out-format='%i %n'`` output.

    ``>f+++++++++ a.html`` is a new file, ``>fc…`` a changed one (rsync sends
    it), ``*deleting   old.html`` a removed one; folders and files whose
    content is the same (``.f…``, only their times would change) are not changes.
    """
    new, changed, removed = [], [], []
    for line in output.splitlines():
        item, _, name = line.partition(" ")
        name = name.lstrip(" ") if item == "*deleting" else name
        if not name or name.endswith("/"):
            continue
        if item == "*deleting":
            removed.append(name)
        elif len(item) == 11 and item[1] == "f" and item[0] in "<>":
            (new if item[2:] == "+++++++++" else changed).append(name)
    return ChangeSet(tuple(sorted(new)), tuple(sorted(changed)), tuple(sorted(removed)))


# Who commits the published site when git has no user configured (a CI runner, say).
FALLBACK_COMMITTER = {
    "GIT_AUTHOR_NAME": "Handbill publish",
    "GIT_AUTHOR_EMAIL": "publish@handbill.invalid",
    "GIT_COMMITTER_NAME": "Handbill publish",
    "GIT_COMMITTER_EMAIL": "publish@handbill.invalid",
}


class GitTarget:
    name = "git"

    def __init__(self, repository, branch="gh-pages", cname="", nojekyll=True, message="Publish the site"):
        self.repository = repository
        self.branch = branch
        self.cname = cname
        self.nojekyll = nojekyll
        self.message = message

    def describe(self):
        return f"branch {self.branch} of {self.repository}"

    def prepare(self, site):
        site = Path(site)
        if self.nojekyll:
            (site / ".nojekyll").write_bytes(b"")
        if self.cname:
            (site / "CNAME").write_text(self.cname + "\n", encoding="ascii")

    def _git(self, git_dir, *arguments, what, env=None):
        return _run(
            ["git", f"--git-dir={git_dir}", *arguments],
            what,
            env={**os.environ, **(env or {})},
        ).strip()

    def _fetch(self, git_dir):
        """The branch's current commit, fetched into ``git_dir`` (None if the branch is new)."""
        _run(["git", "init", "--quiet", "--bare", str(git_dir)], "git init")
        heads = self._git(
            git_dir, "ls-remote", "--heads", self.repository, f"refs/heads/{self.branch}",
            what=f"reading {self.repository}",
        )
        if not heads:
            return None
        self._git(
            git_dir, "fetch", "--quiet", "--depth=1", self.repository,
            f"+refs/heads/{self.branch}:refs/heads/{self.branch}",
            what=f"fetching {self.describe()}",
        )
        return self._git(git_dir, "rev-parse", f"refs/heads/{self.branch}", what="git rev-parse")

    def _deployed_digests(self, git_dir, commit):
        if commit is None:
            return {}
        listing = self._git(git_dir, "ls-tree", "-r", "-z", commit, what="git ls-tree")
        digests = {}
        for entry in filter(None, listing.split("\0")):
            info, path = entry.split("\t", 1)
            digests[path] = info.split()[2]
        return digests

    def plan(self, site):
        with tempfile.TemporaryDirectory(prefix="handbill-git-") as work:
            git_dir = Path(work) / "repository.git"
            return compare(folder_digests(site), self._deployed_digests(git_dir, self._fetch(git_dir)))

    def deploy(self, site):
        with tempfile.TemporaryDirectory(prefix="handbill-git-") as work:
            git_dir = Path(work) / "repository.git"
            parent = self._fetch(git_dir)
            index = {"GIT_INDEX_FILE": str(Path(work) / "index")}
            self._git(
                git_dir, f"--work-tree={site}", "add", "--all", "--force", ".",
                what="git add", env=index,
            )
            tree = self._git(git_dir, "write-tree", what="git write-tree", env=index)
            identity = {} if self._has_identity(git_dir) else FALLBACK_COMMITTER
            commit = self._git(
                git_dir, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", self.message,
                what="git commit-tree", env=identity,
            )
            # A fast-forward push: if someone else pushed meanwhile, git refuses and nothing changes.
            self._git(
                git_dir, "push", "--quiet", self.repository, f"{commit}:refs/heads/{self.branch}",
                what=f"pushing to {self.describe()}",
            )

    def _has_identity(self, git_dir):
        result = subprocess.run(
            ["git", f"--git-dir={git_dir}", "config", "user.email"],
            capture_output=True,
            text=True,
            check=False,
        )
        return bool(result.stdout.strip())


class ArchiveTarget:
    name = "archive"

    def __init__(self, path):
        self.path = Path(path)

    def describe(self):
        return f"the archive {self.path}"

    def prepare(self, site):
        pass

    def _is_zip(self):
        return self.path.name.endswith(".zip")

    def _deployed_digests(self):
        if not self.path.is_file():
            return {}
        try:
            if self._is_zip():
                with zipfile.ZipFile(self.path) as archive:
                    return {
                        info.filename: blob_digest(archive.read(info))
                        for info in archive.infolist()
                        if not info.is_dir()
                    }
            with tarfile.open(self.path, "r:gz") as archive:
                return {
                    member.name: blob_digest(archive.extractfile(member).read())
                    for member in archive.getmembers()
                    if member.isfile()
                }
        except (zipfile.BadZipFile, tarfile.TarError, OSError) as error:
            raise DeployError(f"{self.path} exists but cannot be read as an archive: {error}") from None

    def plan(self, site):
        return compare(folder_digests(site), self._deployed_digests())

    def deploy(self, site):
        site = Path(site)
        files = sorted(path for path in site.rglob("*") if path.is_file())
        with atomic_file(self.path) as stream:
            if self._is_zip():
                with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
                    for path in files:
                        archive.write(path, path.relative_to(site).as_posix())
            else:
                with tarfile.open(fileobj=stream, mode="w:gz") as archive:
                    for path in files:
                        info = archive.gettarinfo(str(path), path.relative_to(site).as_posix())
                        info.mode = 0o644
                        info.uid = info.gid = 0
                        info.uname = info.gname = ""
                        archive.addfile(info, io.BytesIO(path.read_bytes()))


def make_target(publish_settings):
    """The target ``publish_settings.target`` names, configured."""
    settings = publish_settings
    if settings.target == "directory":
        return DirectoryTarget(settings.directory)
    if settings.target == "rsync":
        rsync = settings.rsync
        return RsyncTarget(rsync.host, rsync.path, rsync.port, rsync.exclude)
    if settings.target == "git":
        git = settings.git
        return GitTarget(git.repository, git.branch, git.cname, git.nojekyll, git.message)
    return ArchiveTarget(settings.archive)
