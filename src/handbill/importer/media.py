"""Bring the images and uploads of imported posts over from the old site.

Which addresses are fetched, where each file goes and whether an address may
be contacted at all are plain functions (``media_reference``, ``plan_media``,
``address_refusal``); ``fetch_media`` does the network and disk work.

Safety: only http(s) addresses on the old site's hosts and the image CDNs
WordPress and Blogger serve from are fetched; every host is resolved and
refused if any of its addresses is loopback, private, link-local, multicast or
reserved, at every redirect hop, and the connection goes to the address that
was checked (a second DNS answer cannot swap it). ``allow_private`` lets
loopback through (a copy of the old site on this machine, the tests) and
nothing else. Files are streamed and abandoned past ``max_bytes``; only
images and PDFs are kept, by their Content-Type.
"""

import hashlib
import http.client
import ipaddress
import logging
import os
import posixpath
import re
import socket
import ssl
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .convert import UPLOAD_PATHS

logger = logging.getLogger(__name__)

MEDIA_FOLDER = "images/imported"
# Content types kept, and the extension a file gets when its address has none.
# SVG is left out on purpose: opened on its own, it runs scripts on the site's origin.
MEDIA_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
    "application/pdf": ".pdf",
}
MEDIA_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".pdf"}
# Hosts the platforms serve uploaded images from (Jetpack's Photon, WordPress.com, Blogger).
CDN_HOSTS = re.compile(
    r"i[0-3]\.wp\.com|[\w-]+\.files\.wordpress\.com|[\w-]+\.bp\.blogspot\.com|blogger\.googleusercontent\.com",
    re.I,
)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0  # seconds per connection and per read
DEFAULT_RETRIES = 2
DEFAULT_WORKERS = 4
MAX_REDIRECTS = 5


class FetchRefused(Exception):
    """The address may not be fetched, or what it answered is not kept; never retried."""


class FetchFailed(Exception):
    """A failure that may pass (timeout, connection reset, a 5xx answer); retried."""


def media_host_allowed(host, old_hosts):
    """Whether files may be fetched from ``host``: the old site's or a platform CDN."""
    host = (host or "").lower()
    return host.removeprefix("www.") in old_hosts or CDN_HOSTS.fullmatch(host) is not None


def media_reference(url, tag, old_hosts):
    """Whether ``url`` (absolute), found in an ``<img>`` (``tag`` "img") or a link ("a"),
    is a file of the old site to bring over: an image, or an upload (PDF…)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not media_host_allowed(parts.hostname, old_hosts):
        return False
    if tag == "img":
        return True
    extension = posixpath.splitext(unquote(parts.path))[1].lower()
    return extension in MEDIA_EXTENSIONS and (
        parts.path.startswith(UPLOAD_PATHS) or CDN_HOSTS.fullmatch(parts.hostname or "") is not None
    )


def _file_name(url):
    """A safe file name from the last segment of ``url``'s path."""
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    stem, extension = posixpath.splitext(name)
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.ASCII).strip("-.")[:80] or "file"
    extension = extension.lower() if extension.lower() in MEDIA_EXTENSIONS else ""
    return stem, extension


def plan_media(references):
    """Where each media address goes: ``references`` is [(url, year)] in the order the posts
    name them; the answer is {url: (folder/stem, extension or "")}, relative to the content
    folder. Files go to ``images/imported/<year of the first post using it>/``; two different
    addresses with the same name get a part of their address's hash, so the plan is the same
    on every run of the same export."""
    plan, taken = {}, set()
    for url, year in references:
        if url in plan:
            continue
        stem, extension = _file_name(url)
        path = f"{MEDIA_FOLDER}/{year}/{stem}"
        if (path.lower(), extension) in taken:
            path += "-" + hashlib.sha256(url.encode()).hexdigest()[:8]
        taken.add((path.lower(), extension))
        plan[url] = (path, extension)
    return plan


def address_refusal(address, allow_private=False):
    """Why ``address`` (an IP address) may not be contacted, or "" when it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "" if allow_private else f"{ip} is a loopback address"
    for refused, what in (
        (ip.is_link_local, "a link-local"),
        (ip.is_multicast, "a multicast"),
        (ip.is_private, "a private"),
        (ip.is_reserved, "a reserved"),
        (ip.is_unspecified, "an unspecified"),
        (not ip.is_global, "not a public"),
    ):
        if refused:
            return f"{ip} is {what} address"
    return ""


@dataclass(frozen=True)
class FetchOptions:
    allow_private: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    workers: int = DEFAULT_WORKERS


@dataclass
class MediaReport:
    local: dict = field(default_factory=dict)  # url → path under the content folder (fetched or there)
    fetched: list = field(default_factory=list)  # urls fetched by this run
    failed: dict = field(default_factory=dict)  # url → why it stays on the old site


def _checked_address(host, port, options):
    """An address of ``host`` to connect to, once all of them are checked."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchFailed(f"cannot resolve {host}: {error.strerror}") from None
    addresses = [answer[4][0] for answer in answers]
    for address in addresses:
        refusal = address_refusal(address, options.allow_private)
        if refusal:
            raise FetchRefused(f"refused: {host} resolves to {refusal}")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever DNS says by then."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _open(url, hosts, options):
    """(connection, response) for ``url`` after following checked redirects."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"refused: {url} is not an http(s) address")
        if not media_host_allowed(parts.hostname, hosts):
            raise FetchRefused(f"refused: {parts.hostname} is neither the old site nor an image CDN")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _checked_address(parts.hostname, port, options)
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port, address, options.timeout)
        try:
            connection.request(
                "GET",
                (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                headers={"User-Agent": "Handbill importer", "Accept": "image/*,application/pdf"},
            )
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise FetchFailed(f"{type(error).__name__}: {error}") from None
        if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
            url = urljoin(url, response.getheader("Location"))
            connection.close()
            continue
        return connection, response
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")


def _download(url, stem_path, extension, hosts, options):
    """Fetch ``url`` into ``stem_path`` + extension; the file written."""
    connection, response = _open(url, hosts, options)
    try:
        if response.status >= 500:
            raise FetchFailed(f"HTTP {response.status}")
        if response.status != 200:
            raise FetchRefused(f"HTTP {response.status}")
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in MEDIA_TYPES:
            raise FetchRefused(f"refused: its Content-Type {content_type or 'none'!r} is not an image or a PDF")
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > options.max_bytes:
            raise FetchRefused(f"too big: {int(length)} bytes, more than {options.max_bytes}")
        target = stem_path.with_name(stem_path.name + (extension or MEDIA_TYPES[content_type]))
        target.parent.mkdir(parents=True, exist_ok=True)
        # Streamed into a temporary file beside the target, renamed once whole.
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".fetching-")
        try:
            size = 0
            with os.fdopen(descriptor, "wb") as file:
                while chunk := response.read(64 * 1024):
                    size += len(chunk)
                    if size > options.max_bytes:
                        raise FetchRefused(f"too big: more than {options.max_bytes} bytes")
                    file.write(chunk)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(f"{type(error).__name__}: {error}") from None
    finally:
        connection.close()


def _existing(stem_path, extension):
    if extension:
        path = stem_path.with_name(stem_path.name + extension)
        return path if path.is_file() else None
    for extension_of_type in dict.fromkeys(MEDIA_TYPES.values()):
        path = stem_path.with_name(stem_path.name + extension_of_type)
        if path.is_file():
            return path
    return None


def _fetch_with_retries(url, stem_path, extension, hosts, options):
    for attempt in range(options.retries + 1):
        try:
            return _download(url, stem_path, extension, hosts, options)
        except FetchFailed as error:
            if attempt == options.retries:
                raise FetchFailed(f"{error} (after {attempt + 1} attempts)") from None
            logger.info("retrying %s after: %s", url, error)
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def fetch_media(plan, content_dir, old_hosts, options, progress=None):
    """Fetch what ``plan`` (from plan_media) names into ``content_dir``, from ``old_hosts`` (the
    old site's host names) and the CDNs, ``options.workers`` at a time: a MediaReport.

    A file already there is not fetched again; a failure is reported and never
    stops the others. ``progress(done, total, url, problem)`` follows along.
    """
    content_dir = Path(content_dir)
    report = MediaReport()
    missing = []
    for url, (stem, extension) in plan.items():
        existing = _existing(content_dir / stem, extension)
        if existing:
            report.local[url] = existing.relative_to(content_dir).as_posix()
        else:
            missing.append((url, content_dir / stem, extension))

    def fetch(item):
        url, stem_path, extension = item
        try:
            return url, _fetch_with_retries(url, stem_path, extension, old_hosts, options), ""
        except (FetchRefused, FetchFailed) as error:
            return url, None, str(error)

    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        for done, (url, path, problem) in enumerate(pool.map(fetch, missing), start=1):
            if path:
                report.local[url] = path.relative_to(content_dir).as_posix()
                report.fetched.append(url)
            else:
                report.failed[url] = problem
                logger.warning("could not fetch %s: %s", url, problem)
            if progress:
                progress(done, len(missing), url, problem)
    return report
