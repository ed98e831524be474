"""Images and uploads come along: a real HTTP server on 127.0.0.1 plays the old site.

It serves images of several types and sizes, a PDF, a missing image (404), a
slow one (slower than the timeout), one past the size cap and one that
redirects to a private address. The import then builds (twice) into a site
whose handout embeds the image.
"""

import io
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from pypdf import PdfReader

from handbill.importer import import_file
from handbill.importer.media import FetchOptions, fetch_media, plan_media
from handbill.importer.moving_in import owner_todo
from handbill.importer.staging import StagedImport
from handbill.linkcheck import find_broken_links
from handbill.testing.sites import run_pelican, write_site

MAX_BYTES = 200_000
OPTIONS = FetchOptions(allow_private=True, max_bytes=MAX_BYTES, timeout=0.5, retries=1)


def image_bytes(size, kind, colour="#1f4e79"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


UPLOADS = "/wp-content/uploads/2020/01/"
FILES = {
    UPLOADS + "room-300x200.png": ("image/png", image_bytes((300, 200), "PNG")),
    UPLOADS + "room.png": ("image/png", image_bytes((1200, 800), "PNG", "#dde7f0")),
    UPLOADS + "badge.jpg": ("image/jpeg", image_bytes((64, 64), "JPEG")),
    UPLOADS + "wave.gif": ("image/gif", image_bytes((32, 32), "GIF")),
    UPLOADS + "guide.pdf": ("application/pdf", b"%PDF-1.4\n%%EOF\n"),
    UPLOADS + "page.jpg": ("text/html", b"<html>not an image</html>"),
}


class OldSite(BaseHTTPRequestHandler):
    requests = []  # paths asked for, in order (the class is made per server)
    redirect_to = ""

    def do_GET(self):
        self.requests.append(self.path)
        if self.path in FILES:
            content_type, body = FILES[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.endswith("slow.jpg"):
            time.sleep(2)  # longer than the import's timeout, which has given up by now
        elif self.path.endswith("huge.jpg"):
            # No Content-Length: the size shows only while streaming.
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"\xff" * 10_000)
        elif self.path.endswith("moved.jpg"):
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def old_site():
    """The server's handler class: ``base`` (its address), ``requests``, ``redirect_to``."""
    handler = type("Handler", (OldSite,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    handler.port = server.server_address[1]
    handler.base = f"http://127.0.0.1:{handler.port}"
    handler.redirect_to = f"http://169.254.169.254:{handler.port}{UPLOADS}badge.jpg"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler
    server.shutdown()
    server.server_close()


ITEM = """
	<item>
		<title>{title}</title>
		<link>{base}/2020/01/{slug}/</link>
		<dc:creator><![CDATA[dana]]></dc:creator>
		<content:encoded><![CDATA[{body}]]></content:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date><![CDATA[2020-01-0{day} 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2020-01-0{day} 10:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[{slug}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="events"><![CDATA[Events]]></category>
	</item>"""


def wxr(base):
    room = (
        f'[caption id="attachment_7" width="300"]<a href="{UPLOADS}room.png"><img src="{UPLOADS}room-300x200.png" '
        f'srcset="{UPLOADS}room-300x200.png 300w, {base}{UPLOADS}room.png 1200w" alt="The room, set for ten" '
        'width="300" height="200" /></a> Tables for ten, name cards ready.[/caption]'
    )
    photos = (
        f"Before the evening.\n\n{room}\n\n"
        f'<img src="{base}{UPLOADS}badge.jpg" alt="A badge"> <img src="{UPLOADS}wave.gif" alt="">\n\n'
        f'Print <a href="{UPLOADS}guide.pdf">the guide</a>. Then read the follow-up in every form: '
        f'<a href="{base}/2020/01/follow-up/">permalink</a>, <a href="{base}/2020/01/follow-up">no slash</a>, '
        f'<a href="/2020/01/follow-up/#comments">relative</a>, <a href="{base}/?p=61">by id</a>, '
        f'<a href="https://wp.me/p7Xy-Z">short</a>, and <a href="{base}/contact/">my contact page</a>.\n\n'
        f'<img src="{UPLOADS}missing.png" alt="Gone"> <img src="{UPLOADS}slow.jpg" alt="Slow"> '
        f'<img src="{UPLOADS}huge.jpg" alt="Huge"> <img src="{UPLOADS}moved.jpg" alt="Moved"> '
        f'<img src="{UPLOADS}page.jpg" alt="Not an image">'
    )
    follow_up = f'Back to <a href="{base}/?p=60">the photos</a>. <img src="{UPLOADS}badge.jpg" alt="Same badge">'
    items = ITEM.format(title="Photos", slug="photos", post_id=60, day=2, base=base, body=photos) + ITEM.format(
        title="Follow-Up", slug="follow-up", post_id=61, day=3, base=base, body=follow_up
    )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Old</title>
	<link>{base}</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_blog_url>{base}</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[dana]]></wp:author_login><wp:author_display_name><![CDATA[Dana Whitfield]]></wp:author_display_name></wp:author>
{items}
</channel>
</rss>
"""  # noqa: E501


def snapshot(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_import_fetches_rewrites_and_builds_twice(tmp_path, old_site):
    base, requests = old_site.base, old_site.requests
    content, output, settings_file = write_site(tmp_path / "site", {})
    export = tmp_path / "old.xml"
    export.write_text(wxr(base), encoding="utf-8")

    staged, result = import_file(export, content, content / "comments", fetch=OPTIONS)

    media = result.media
    images = content / "images/imported/2020"
    assert sorted(path.name for path in images.iterdir()) == ["badge.jpg", "guide.pdf", "room.png", "wave.gif"]
    assert (images / "room.png").read_bytes() == FILES[UPLOADS + "room.png"][1]
    failed = {url.rsplit("/", 1)[-1]: problem for url, problem in media.failed.items()}
    assert failed["missing.png"] == "HTTP 404"
    assert "timed out" in failed["slow.jpg"] and "after 2 attempts" in failed["slow.jpg"]
    assert failed["huge.jpg"] == f"too big: more than {MAX_BYTES} bytes"
    assert failed["moved.jpg"] == "refused: 169.254.169.254 is neither the old site nor an image CDN"
    assert failed["page.jpg"] == "refused: its Content-Type 'text/html' is not an image or a PDF"
    assert not any(".fetching-" in path.name for path in content.rglob("*"))
    assert requests.count(UPLOADS + "badge.jpg") == 1  # used twice, fetched once

    photos = (content / "posts/imported/photos.md").read_text(encoding="utf-8")
    # The sharpest srcset candidate, linked to the full size, keeps its alt text and caption.
    assert (
        "[![The room, set for ten]({static}/images/imported/2020/room.png)]({static}/images/imported/2020/room.png)\n"
        "/// caption\nTables for ten, name cards ready.\n///"
    ) in photos
    assert "![A badge]({static}/images/imported/2020/badge.jpg)" in photos
    assert "[the guide]({static}/images/imported/2020/guide.pdf)" in photos
    for form in ("permalink", "no slash", "by id", "short"):
        assert f"[{form}]({{filename}}/posts/imported/follow-up.md)" in photos
    assert "[relative]({filename}/posts/imported/follow-up.md#comments)" in photos
    assert f"[my contact page]({base}/contact/)" in photos
    assert f"![Gone]({base}{UPLOADS}missing.png)" in photos  # still on the old site, and listed
    assert "[the photos]({filename}/posts/imported/photos.md)" in (
        content / "posts/imported/follow-up.md"
    ).read_text(encoding="utf-8")

    todo = "\n".join(owner_todo(staged, media))
    assert "5 image(s) or upload(s) could not be fetched" in todo
    assert f"{base}{UPLOADS}missing.png: HTTP 404" in todo
    assert "1 link(s) lead to old pages that were not imported" in todo and f"'Photos': {base}/contact/" in todo
    assert "next: `invoke build`" in todo

    # The owner asks for a handout of the post; two builds in a row succeed.
    post = content / "posts/imported/photos.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Handout: no", "Handout: yes"), encoding="utf-8")
    for _ in range(2):
        build = run_pelican(tmp_path / "site", settings_file)
        assert build.returncode == 0, build.stdout + build.stderr
    page = (output / "posts/2020/photos/index.html").read_text(encoding="utf-8")
    assert 'src="../../../images/imported/2020/room.png"' in page and "<figcaption>" in page
    assert 'href="../../../posts/2020/follow-up/#comments"' in page
    assert (output / "images/imported/2020/guide.pdf").exists()
    assert find_broken_links(output) == []
    handout = PdfReader(output / "handouts/photos.pdf")
    sizes = {image.image.size for pdf_page in handout.pages for image in pdf_page.images}
    assert (1200, 800) in sizes

    # The same import again fetches only what failed, and writes nothing.
    post.write_text(post.read_text(encoding="utf-8").replace("Handout: yes", "Handout: no"), encoding="utf-8")
    before, asked = snapshot(content), len(requests)
    _, again = import_file(export, content, content / "comments", fetch=OPTIONS)
    assert again.written == [] and again.kept == [] and again.media.fetched == []
    assert snapshot(content) == before
    fetched_again = {path.rsplit("/", 1)[-1] for path in requests[asked:]}
    assert fetched_again <= {"missing.png", "slow.jpg", "huge.jpg", "moved.jpg", "page.jpg"}


def test_without_fetching_images_stay_on_the_old_site(tmp_path, old_site):
    base, requests = old_site.base, old_site.requests
    export = tmp_path / "old.xml"
    export.write_text(wxr(base), encoding="utf-8")
    content = tmp_path / "content"
    staged, result = import_file(export, content, content / "comments")
    assert requests == [] and result.media is None
    assert f"({base}{UPLOADS}room.png)" in (content / "posts/imported/photos.md").read_text(encoding="utf-8")
    assert any("still load from the old site" in note for note in staged.notes)


def test_a_redirect_to_a_private_address_is_refused_even_on_an_allowed_host(tmp_path, old_site):
    # Hosts allowed by name, so that only the address check stands in the way.
    hosts = frozenset({"127.0.0.1", "10.0.0.1", "169.254.169.254"})
    plan = plan_media([(f"{old_site.base}{UPLOADS}moved.jpg", 2020)])
    for private in ("10.0.0.1", "169.254.169.254"):
        old_site.redirect_to = f"http://{private}:{old_site.port}/x.jpg"
        report = fetch_media(plan, tmp_path, hosts, OPTIONS)
        assert report.local == {}
        (problem,) = report.failed.values()
        assert problem.startswith(f"refused: {private} resolves to {private} is a ")
    assert old_site.requests == [UPLOADS + "moved.jpg"] * 2  # and nothing went further
    report = fetch_media(plan_media([(f"http://10.0.0.1:{old_site.port}/x.jpg", 2020)]), tmp_path, hosts, OPTIONS)
    assert list(report.failed.values()) == ["refused: 10.0.0.1 resolves to 10.0.0.1 is a private address"]


def test_the_to_do_list_counts_held_comments_from_every_export(tmp_path):
    staged = StagedImport(files=[], records=[], comments_dir=tmp_path, counts=Counter())
    staged.counts.update({"comments (held)": 3, "Disqus comments (held)": 4, "Disqus comments (published)": 9})
    assert "7 held comment(s) to review" in "\n".join(owner_todo(staged, None))
