"""waitress as ``serve`` sets it up: the visitor's address behind a proxy, and connections that say nothing.

Each test runs the app under waitress with ``app.waitress_options`` and talks to it over
real TCP connections, writing the headers a reverse proxy would add.
"""

import http.client
import json
import logging
import socket

import pytest

from handbill.comment_service.app import create_app, waitress_options

from .conftest import POSTS
from .support import SITE_ORIGIN, LoopbackServer, manifest, service_config

# An answer slower than this means the service is locked out, not slow.
ANSWER_WITHIN_SECONDS = 5


@pytest.fixture
def serve(tmp_path, smtp):
    """``serve(**COMMENT_SERVICE settings)`` → the LoopbackServer running the app as ``serve`` would."""
    running = []

    def start(**service):
        manifest_path = tmp_path / "manifest.json"
        manifest_path.write_text(json.dumps(manifest(POSTS)), encoding="utf-8")
        service = {"rate_limit_address": "1/hour", **service}
        # waitress's options do not depend on the service's address, which is known once it listens.
        options = waitress_options(service_config(tmp_path, smtp.port, "http://127.0.0.1", service=service))
        server = LoopbackServer(**options)
        config = service_config(tmp_path, smtp.port, server.url, manifest_path=manifest_path, service=service)
        running.append(server.start(create_app(config)))
        return server

    yield start
    for server in running:
        server.stop()


def request(server, path, *, method="GET", headers=(), body=b"", source="127.0.0.1"):
    """(status, text) of one request on a new connection from ``source``; ``headers`` are (name, value)
    pairs sent as given, a name twice if it comes twice (as from a proxy that adds its own line)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=ANSWER_WITHIN_SECONDS, source_address=(source, 0)
    )
    try:
        connection.putrequest(method, path)
        for name, value in headers:
            connection.putheader(name, value)
        if method == "POST":
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8")
    finally:
        connection.close()


def post_forwarded(server, *forwarded_for, source="127.0.0.1"):
    """A comment without an Origin (refused, but counted by the per-address limit first), sent through
    a proxy that wrote these X-Forwarded-For header lines; the answer's status."""
    headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
    headers += [("X-Forwarded-For", value) for value in forwarded_for]
    status, _text = request(server, "/comments", method="POST", headers=headers, body=b'{"post": "first-coffee"}',
                            source=source)
    return status


def addresses_logged(caplog):
    return [record.args[2] for record in caplog.records if record.getMessage().startswith("Refused POST")]


@pytest.fixture
def refusals_logged(caplog):
    caplog.set_level(logging.INFO, logger="handbill.comment_service")
    return lambda: addresses_logged(caplog)


def test_behind_one_proxy_the_visitor_is_the_address_the_proxy_appended(serve, refusals_logged):
    server = serve(trusted_proxy="127.0.0.1")

    # The visitor wrote "X-Forwarded-For: 192.0.2.1"; the proxy appended the address it saw.
    assert post_forwarded(server, "192.0.2.1, 203.0.113.9") == 403
    # Another made-up address on the left changes nothing: the same visitor, over the limit.
    assert post_forwarded(server, "192.0.2.77, 203.0.113.9") == 429
    assert post_forwarded(server, "203.0.113.9") == 429
    # Claiming to be that visitor does not make another one share its count.
    assert post_forwarded(server, "203.0.113.9, 198.51.100.7") == 403
    # A proxy that adds its own header line instead of appending to the visitor's.
    assert post_forwarded(server, "203.0.113.9", "198.51.100.8") == 403

    assert refusals_logged() == ["203.0.113.9", "203.0.113.9", "203.0.113.9", "198.51.100.7", "198.51.100.8"]


def test_behind_a_chain_of_proxies_the_visitor_is_as_many_entries_from_the_right(serve, refusals_logged):
    server = serve(trusted_proxy="127.0.0.1", trusted_proxy_count=2)

    # A CDN appended the visitor, then the local proxy appended the CDN's address.
    assert post_forwarded(server, "192.0.2.1, 203.0.113.9, 10.0.0.5") == 403
    assert post_forwarded(server, "203.0.113.9, 10.0.0.6") == 429  # the same visitor through another node

    assert refusals_logged() == ["203.0.113.9", "203.0.113.9"]


def test_ipv6_visitors_are_counted_by_their_64_network(serve, refusals_logged):
    server = serve(trusted_proxy="127.0.0.1")

    assert post_forwarded(server, "2001:db8:1:2::1") == 403
    assert post_forwarded(server, "2001:db8:1:2:abcd::99") == 429  # a fresh address on the same line
    assert post_forwarded(server, "2001:db8:1:3::1") == 403

    assert refusals_logged() == ["2001:db8:1:2::1", "2001:db8:1:2:abcd::99", "2001:db8:1:3::1"]


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(serve, refusals_logged):
    server = serve()

    assert post_forwarded(server, "203.0.113.9") == 403
    assert post_forwarded(server, "198.51.100.7") == 429  # both came from 127.0.0.1

    assert refusals_logged() == ["127.0.0.1", "127.0.0.1"]


def test_a_visitor_going_around_the_proxy_cannot_claim_an_address(serve, refusals_logged):
    server = serve(trusted_proxy="127.0.0.1")
    try:
        status = post_forwarded(server, "203.0.113.9", source="127.0.0.2")
    except OSError as error:  # a system whose loopback is 127.0.0.1 alone
        pytest.skip(f"cannot connect from 127.0.0.2: {error}")

    assert status == 403
    assert post_forwarded(server, "203.0.113.9") == 403  # through the proxy: a visitor not yet counted
    assert refusals_logged() == ["127.0.0.2", "203.0.113.9"]


@pytest.mark.parametrize(
    ("head", "status"),
    [
        ("POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n", 413),
        ("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "x" * 40_000 + "\r\n", 431),
    ],
    ids=["gigabyte-body-declared", "40-kb-of-headers"],
)
def test_oversized_requests_are_cut_off_before_they_are_read(serve, head, status):
    server = serve()
    with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_WITHIN_SECONDS) as connection:
        connection.sendall(head.encode() + b"\r\n")  # and not one byte of the body
        assert connection.recv(64).split(b" ")[1] == str(status).encode()
    assert request(server, "/health")[0] == 200


def open_idle_connections(server, count):
    """``count`` connections to ``server`` that say nothing, as a careless or hostile client leaves them."""
    return [socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_WITHIN_SECONDS) for _ in range(count)]


def test_150_idle_connections_do_not_lock_the_service_out(serve):
    server = serve()
    idle = open_idle_connections(server, 150)
    try:
        assert request(server, "/health")[0] == 200
        status, text = request(server, "/token?post=first-coffee", headers=[("Origin", SITE_ORIGIN)])
        assert status == 200 and json.loads(text)["token"]
    finally:
        for connection in idle:
            connection.close()


def test_idle_connections_are_closed_after_channel_timeout_and_free_their_places(serve):
    # Fewer places than idle connections: the request waits in the system's queue until
    # waitress closes the silent ones.
    server = serve(connection_limit=10, channel_timeout=1, cleanup_interval=1)
    idle = open_idle_connections(server, 15)
    try:
        first = idle[0]
        first.settimeout(ANSWER_WITHIN_SECONDS * 2)
        assert first.recv(1) == b""  # closed by the server
        assert request(server, "/health")[0] == 200
    finally:
        for connection in idle:
            connection.close()


def test_the_service_logs_a_repeated_message_every_time(serve, caplog):
    # Loggers created after Pelican is imported drop repeated INFO and WARNING messages;
    # the service's must not, or a refused address would be logged once per process.
    import pelican.log  # noqa: F401 -- what `invoke comments.serve` has imported before the service

    probe = logging.getLogger("handbill.comment_service.tests.probe")
    serve(trusted_proxy="127.0.0.1")
    caplog.set_level(logging.INFO, logger="handbill.comment_service")

    probe.info("the same line")
    probe.info("the same line")
    assert [record.getMessage() for record in caplog.records if record.name == probe.name] == ["the same line"] * 2
