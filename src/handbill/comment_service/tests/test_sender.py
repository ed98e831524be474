"""The outbox's sender against a real SQLite file and a real SMTP server on loopback, its clock
in the test's hands: coalescing, the per-address limit, retries, leases, unrecorded sends."""

import sqlite3
import threading
from contextlib import closing
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from handbill.comment_service.app import build_sender
from handbill.comment_service.moderation import retry_mail
from handbill.comment_service.outbox import MAIL_WINDOW, MAX_ATTEMPTS, RETRY_FIRST, UNUSED_EMAILS_PER_ADDRESS
from handbill.comment_service.store import STATES, Store, StoreBusy, timestamp

from .support import VERIFY_LINK, service_config
from .test_store import NOW, comment


class Clock:
    """The sender's clock, moved by the test."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **amount):
        self.now += timedelta(**amount)


def outbox_parts(folder, smtp, clock):
    config = service_config(folder, smtp.port, "https://comments.site.example")
    store = Store(config.db_path).initialize()
    sender = build_sender(config, store)
    sender.clock = clock
    return store, sender


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def parts(tmp_path, smtp, clock):
    return outbox_parts(tmp_path, smtp, clock)


def outbox_row(store, comment_id):
    with closing(sqlite3.connect(store.path)) as connection:
        return connection.execute(
            "SELECT state, attempts, next_attempt_at, last_error FROM outbox WHERE comment_id = ?", (comment_id,)
        ).fetchone()


def recipients(sink):
    return [message["To"].addresses[0].addr_spec for message in sink.messages]


def test_a_stranger_cannot_mail_someone_more_than_a_few_times(parts, smtp, clock):
    store, sender = parts
    first_sent = clock()
    for number in range(1, 8):  # a stranger, writing with Zoë's address, a comment every 10 minutes
        store.add_comment(comment(number, created=clock(), body=f"Not Zoë, number {number}."))
        store.add_comment(comment(100 + number, email="ada@example.org", created=clock()))
        sender.deliver_due()
        store.verify(f"c-{100 + number}", clock())  # Ada writes too, and confirms each of hers
        clock.advance(minutes=10)
    assert recipients(smtp.sink).count("zoe@example.org") == UNUSED_EMAILS_PER_ADDRESS
    assert recipients(smtp.sink).count("ada@example.org") == 7  # who confirms gets every link

    # Zoë herself comments: kept, and her link goes with the waiting ones in the next email.
    mail_at = store.add_comment(comment(8, created=clock(), body="Zoë's own words."))
    assert mail_at == first_sent + MAIL_WINDOW
    assert (sender.deliver_due().sent, store.get("c-8").verify_mail) == (0, "queued")
    clock.now = mail_at
    assert sender.deliver_due().sent == 1
    coalesced = smtp.sink.messages[-1]
    text = coalesced.get_content()
    assert len(VERIFY_LINK.findall(text)) == 5 and "Zoë's own words." in text and "Not Zoë, number 7." in text
    assert coalesced["To"] == "zoe@example.org" and "5 comments" in coalesced["Subject"]
    assert {store.get(f"c-{n}").verify_mail for n in range(4, 9)} == {"sent"}

    # Confirming makes room: her next comment's email goes at once.
    store.verify("c-8", clock())
    clock.advance(minutes=1)
    assert store.add_comment(comment(9, created=clock())) == clock()
    assert sender.deliver_due().sent == 1


def test_failed_attempts_back_off_keep_no_address_and_give_up(parts, smtp, clock):
    store, sender = parts
    smtp.sink.refusal = "451 4.3.0 Mailbox zoe@example.org is busy, try later"
    store.add_comment(comment(1))

    report = sender.deliver_due()

    assert (report.sent, report.failed) == (0, 1)
    state, attempts, next_attempt_at, last_error = outbox_row(store, "c-1")
    assert (state, attempts, next_attempt_at) == ("queued", 1, timestamp(NOW + RETRY_FIRST))
    assert "451" in last_error and "zoe@example.org" not in last_error
    assert sender.deliver_due().failed == 0  # not due yet
    while outbox_row(store, "c-1")[0] == "queued":
        clock.now = max(clock.now, datetime.fromisoformat(outbox_row(store, "c-1")[2]))
        assert sender.deliver_due().failed == 1
    assert outbox_row(store, "c-1")[:2] == ("failed", MAX_ATTEMPTS)

    smtp.sink.refusal = None
    clock.advance(days=1)
    assert sender.deliver_due().sent == 0  # given up: only the owner's push sends it
    assert retry_mail(sender, clock()).sent == 1
    assert store.get("c-1").verify_mail == "sent" and len(smtp.sink.messages) == 1


def test_stale_mail_is_cancelled_not_sent(parts, smtp):
    store, sender = parts
    store.add_comment(comment(1))
    store.decide("c-1", "rejected", NOW, "spam", from_states=("unverified",))
    store.add_comment(comment(2, email="ada@example.org"))
    store.verify("c-2", NOW, notify_owner=True)  # notices are off in this config: the notice is stale

    assert sender.deliver_due().sent == 0
    # c-2 was confirmed (through a link sent before, say): its queued link is stale too.
    assert store.get("c-1").verify_mail == "cancelled"
    assert (store.get("c-2").verify_mail, store.get("c-2").owner_mail) == ("cancelled", "cancelled")
    assert smtp.sink.messages == []


def test_the_owner_asking_for_a_digest_gets_one_email_per_interval(tmp_path, smtp, clock):
    config = service_config(
        tmp_path, smtp.port, "https://comments.site.example",
        service={"owner_email": "dana@site.example", "owner_digest_hours": 6},
    )
    store = Store(config.db_path).initialize()
    sender = build_sender(config, store)
    sender.clock = clock
    for number in (1, 2):
        store.add_comment(comment(number, email=f"reader{number}@example.org"))
        store.verify(f"c-{number}", NOW, notify_owner=True)
    sender.deliver_due()
    digests = [message for message in smtp.sink.messages if message["To"] == "dana@site.example"]
    assert len(digests) == 1 and digests[0].get_content().startswith("2 comments await your decision")

    store.add_comment(comment(3, email="reader3@example.org"))
    store.verify("c-3", NOW, notify_owner=True)
    clock.advance(hours=5)
    sender.deliver_due()
    assert sum(message["To"] == "dana@site.example" for message in smtp.sink.messages) == 1
    clock.advance(hours=1)
    sender.deliver_due()
    digests = [message for message in smtp.sink.messages if message["To"] == "dana@site.example"]
    assert len(digests) == 2 and "/moderate/link/" in digests[1].get_content()


def test_two_senders_never_send_one_email_twice(tmp_path, smtp, clock):
    store, first = outbox_parts(tmp_path, smtp, clock)
    _, second = outbox_parts(tmp_path, smtp, clock)
    for number in range(20):
        store.add_comment(comment(number, email=f"reader{number}@example.org"))
    ready = threading.Barrier(2)

    def deliver(sender):
        ready.wait()
        return sender.deliver_due().sent

    threads = [threading.Thread(target=deliver, args=(sender,)) for sender in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(recipients(smtp.sink)) == sorted(f"reader{number}@example.org" for number in range(20))


def test_a_sent_email_that_could_not_be_recorded_is_not_sent_again(tmp_path, smtp, clock):
    config = service_config(tmp_path, smtp.port, "https://comments.site.example")
    store = Store(config.db_path, busy_timeout=0.05, attempts=2).initialize()
    sender = build_sender(config, store)
    sender.clock = clock
    store.add_comment(comment(1))
    smtp.sink.released.clear()
    locker = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    outcome = []
    delivering = threading.Thread(target=lambda: outcome.append(capture(sender.deliver_due)))
    delivering.start()
    try:
        while not smtp.sink.messages and outbox_row(store, "c-1")[1] == 0:  # until it is being sent
            threading.Event().wait(0.02)
        locker.execute("BEGIN IMMEDIATE")
        smtp.sink.released.set()
        delivering.join(10)
    finally:
        if locker.in_transaction:
            locker.execute("ROLLBACK")
        locker.close()

    assert isinstance(outcome[0], StoreBusy)  # the email went; recording it did not
    assert len(smtp.sink.messages) == 1
    clock.advance(hours=1)  # the sending lease ran out: without the memory, it would go again
    assert sender.deliver_due().sent == 0
    assert store.get("c-1").verify_mail == "sent" and len(smtp.sink.messages) == 1


def capture(function):
    try:
        return function()
    except StoreBusy as error:
        return error


class OutboxMachine(RuleBasedStateMachine):
    """Submissions from a few addresses, sender rounds, SMTP going down and up, confirmations,
    time passing and the owner's retry-mail, in any order."""

    ADDRESSES = ("zoe@example.org", "ada@example.org", "eve@example.org")

    def __init__(self, folder, smtp):
        super().__init__()
        self.clock = Clock(NOW)
        self.smtp = smtp
        smtp.sink.refusal = None
        self.seen = len(smtp.sink.messages)
        self.store, self.sender = outbox_parts(folder, smtp, self.clock)
        self.numbers = iter(range(1_000_000))
        self.delivered = []  # (when, address) of each email
        self.confirmable = []  # comment ids whose link arrived

    def collect(self):
        for message in self.smtp.sink.messages[self.seen:]:
            self.delivered.append((self.clock(), message["To"].addresses[0].addr_spec))
            for link in VERIFY_LINK.findall(message.get_content()):
                self.confirmable.append(self.sender.notifier.tokens.check_verify_token(link.rsplit("/", 1)[1]))
        self.seen = len(self.smtp.sink.messages)

    @rule(address=st.sampled_from(ADDRESSES))
    def submit(self, address):
        self.store.add_comment(comment(next(self.numbers), email=address, created=self.clock()))

    @rule()
    def deliver(self):
        self.sender.deliver_due()
        self.collect()

    @rule(down=st.booleans())
    def smtp_goes(self, down):
        self.smtp.sink.refusal = "451 4.3.0 try later" if down else None

    @precondition(lambda self: self.confirmable)
    @rule(data=st.data())
    def confirm(self, data):
        self.store.verify(data.draw(st.sampled_from(self.confirmable)), self.clock())

    @rule(minutes=st.integers(1, 8 * 60))
    def time_passes(self, minutes):
        self.clock.advance(minutes=minutes)

    @rule()
    def owner_retries(self):
        retry_mail(self.sender, self.clock())
        self.collect()

    @invariant()
    def every_unverified_comment_has_its_email_sent_or_waiting(self):
        for stored in self.store.in_states(*STATES):
            if stored.state == "unverified":
                assert stored.verify_mail in ("queued", "sent", "failed"), stored

    @invariant()
    def no_address_gets_more_emails_than_it_used_plus_a_few(self):
        for when, address in self.delivered:
            window = [moment for moment, to in self.delivered if to == address and when - MAIL_WINDOW < moment <= when]
            confirmed = sum(
                1 for c in self.store.in_states(*STATES) if c.email == address and c.verified_at
                and when - MAIL_WINDOW < datetime.fromisoformat(c.verified_at) <= when
            )
            assert len(window) <= UNUSED_EMAILS_PER_ADDRESS + confirmed

    def teardown(self):
        # Once SMTP is up and the owner pushes after a window, every waiting link goes.
        self.smtp.sink.refusal = None
        self.clock.advance(days=2)
        retry_mail(self.sender, self.clock())
        for stored in self.store.in_states("unverified"):
            assert stored.verify_mail == "sent", stored


def test_sequences_of_submissions_failures_and_retries_lose_no_email(tmp_path_factory, smtp):
    run_state_machine_as_test(
        lambda: OutboxMachine(tmp_path_factory.mktemp("outbox"), smtp),
        settings=settings(max_examples=25, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )
