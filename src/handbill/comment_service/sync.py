"""``invoke comments.sync --service URL``: fetch approved comments from a service elsewhere.

For a site built on another machine than the one the service runs on (mode 2): the records
come from the service's ``GET /api/comments`` (views/api.py), authenticated with the bearer
token in ``HANDBILL_SYNC_TOKEN``, and are written under ``content/comments/`` with the core
records module, so a sync is idempotent as an export is: a second one writes nothing. A held
record (a comment rejected after its approval) replaces the record written before, and is not
written when there is none. ``commit`` then commits what changed to git.
"""

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from handbill.core.records import RecordError, parse_record, record_path, write_record

TIMEOUT_SECONDS = 60


class SyncError(Exception):
    """The service could not be asked, or refused; the message says why."""


@dataclass
class SyncResult:
    written: list = field(default_factory=list)  # paths of new or rewritten records
    unchanged: int = 0
    problems: list = field(default_factory=list)
    until: str = ""  # the service's time of the answer: the next ``since``


def fetch_records(service_url, token, since=""):
    """The records the service at ``service_url`` hands out, and its ``until``."""
    query = f"?{urllib.parse.urlencode({'since': since})}" if since else ""
    request = urllib.request.Request(
        f"{service_url.rstrip('/')}/api/comments{query}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            data = json.load(answer)
    except urllib.error.HTTPError as error:
        raise SyncError(f"{service_url} refused the sync ({error.code}): {_message(error)}") from None
    except (OSError, ValueError) as error:
        raise SyncError(f"could not fetch comments from {service_url}: {error}") from None
    return data["records"], data["until"]


def _message(error):
    try:
        return json.loads(error.read())["message"]
    except (ValueError, KeyError, TypeError):
        return error.reason


def write_records(items, comments_dir):
    """Write the fetched ``items`` under ``comments_dir``: a SyncResult."""
    result = SyncResult()
    for item in items:
        try:
            record = parse_record(item["text"], f"{item['post']}/{item['id']} from the service")
            held = not record.is_published
            if held and not record_path(comments_dir, record).exists():
                continue  # never published here: nothing to hold
            changed = write_record(comments_dir, record, overwrite=held)
        except (FileExistsError, RecordError) as error:
            result.problems.append(str(error))
            continue
        if changed:
            result.written.append(record_path(comments_dir, record))
        else:
            result.unchanged += 1
    return result


def sync(service_url, token, comments_dir, since=""):
    """Fetch and write: the SyncResult."""
    items, until = fetch_records(service_url, token, since)
    result = write_records(items, Path(comments_dir))
    result.until = until
    return result


def commit(paths, repository, message="Comments from the comment service"):
    """Commit ``paths`` (and only them) in the git repository at ``repository``; False if
    there was nothing to commit."""
    if not paths:
        return False
    relative = [str(Path(path).resolve().relative_to(Path(repository).resolve())) for path in paths]
    subprocess.run(["git", "add", "--", *relative], cwd=repository, check=True, capture_output=True)
    subprocess.run(
        ["git", "commit", "--quiet", "-m", message, "--", *relative], cwd=repository, check=True, capture_output=True,
    )
    return True
