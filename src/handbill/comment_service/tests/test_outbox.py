"""The outbox's rules, as plain functions: retries, the per-address limit, one round's plan."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from handbill.comment_service.outbox import (
    COMMENTS_PER_EMAIL,
    MAIL_WINDOW,
    MAX_ATTEMPTS,
    RETRY_FIRST,
    RETRY_LONGEST,
    UNUSED_EMAILS_PER_ADDRESS,
    AddressUsage,
    QueuedMail,
    address_ready_at,
    after_failure,
    digest_ready_at,
    plan_round,
    retry_delay,
)

from .test_store import NOW, comment


def test_retries_back_off_exponentially_up_to_a_ceiling_then_give_up():
    assert [retry_delay(n) for n in (1, 2, 3)] == [RETRY_FIRST, RETRY_FIRST * 2, RETRY_FIRST * 4]
    assert retry_delay(40) == RETRY_LONGEST
    assert after_failure(1, NOW) == ("queued", NOW + RETRY_FIRST)
    assert after_failure(MAX_ATTEMPTS, NOW) == ("failed", NOW)
    total = sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=12) < total < timedelta(days=1)  # an outage of a night is ridden out


def test_an_address_gets_a_few_unused_emails_and_one_more_per_confirmation():
    oldest = NOW - timedelta(hours=3)
    full = AddressUsage(confirmed=0, emails=UNUSED_EMAILS_PER_ADDRESS, oldest_email=oldest)
    assert address_ready_at(AddressUsage(), NOW) == NOW
    assert address_ready_at(full, NOW) == oldest + MAIL_WINDOW
    assert address_ready_at(AddressUsage(1, UNUSED_EMAILS_PER_ADDRESS, oldest), NOW) == NOW


def mail(number, email="zoe@example.org", kind="verify", state="unverified"):
    return QueuedMail(number, kind, email.lower(), 0, comment(number, email=email, state=state))


def test_a_round_coalesces_an_address_cancels_the_stale_and_defers_the_full():
    full = AddressUsage(0, UNUSED_EMAILS_PER_ADDRESS, NOW - timedelta(hours=1))
    mails = [
        mail(1), mail(2, "ZOE@example.org"), mail(3, "ada@example.org"), mail(4, "eve@example.org"),
        mail(5, state="rejected"),  # decided before its link went
        mail(6, kind="owner", state="verified"), mail(7, kind="owner", state="approved"),
    ]

    plan = plan_round(mails, {"eve@example.org": full}, NOW, owner_notices=True)

    assert [[m.id for m in email] for email in plan.emails] == [[6], [1, 2], [3]]
    assert plan.cancelled == [5, 7]
    assert plan.deferred == {4: NOW + MAIL_WINDOW - timedelta(hours=1)}
    assert plan_round([mail(6, kind="owner", state="verified")], {}, NOW, owner_notices=False).cancelled == [6]


@given(
    st.lists(
        st.tuples(st.sampled_from(["a@x.example", "A@x.example", "b@x.example"]),
                  st.sampled_from(["verify", "owner"]), st.sampled_from(["unverified", "verified", "rejected"])),
        max_size=40,
    ),
    st.dictionaries(st.sampled_from(["a@x.example", "b@x.example"]),
                    st.builds(AddressUsage, st.integers(0, 3), st.integers(0, 8), st.just(NOW - timedelta(hours=2)))),
    st.booleans(),
)
def test_every_due_mail_is_sent_cancelled_deferred_or_left_for_the_next_round(rows, usage, owner_notices):
    mails = [mail(number, email, kind, state) for number, (email, kind, state) in enumerate(rows)]

    plan = plan_round(mails, usage, NOW, owner_notices=owner_notices)

    planned = [m.id for email in plan.emails for m in email]
    assert len(planned) == len(set(planned))
    assert not set(planned) & set(plan.cancelled) and not set(planned) & set(plan.deferred)
    addresses = [email[0].address for email in plan.emails if email[0].kind == "verify"]
    assert len(addresses) == len(set(addresses))  # at most one email per address and round
    for email in plan.emails:
        assert len(email) <= COMMENTS_PER_EMAIL and len({m.kind for m in email}) == 1
        assert len({m.address for m in email}) == 1 if email[0].kind == "verify" else len(email) == 1
        assert all(m.comment.state == ("unverified" if m.kind == "verify" else "verified") for m in email)
        if email[0].kind == "verify":
            used = usage.get(email[0].address, AddressUsage())
            assert used.emails < UNUSED_EMAILS_PER_ADDRESS + used.confirmed  # only with room
    # What is neither planned, cancelled nor deferred is the rest of an address's many comments.
    left = [m for m in mails if m.id not in {*planned, *plan.cancelled, *plan.deferred}]
    assert all(m.kind == "verify" and m.address in addresses for m in left)


def test_the_owners_digest_gathers_notices_and_waits_its_interval():
    digest, notices = timedelta(hours=6), [mail(n, kind="owner", state="verified") for n in (1, 2, 3)]
    assert digest_ready_at(None, digest, NOW) == NOW
    assert digest_ready_at(NOW - timedelta(hours=2), digest, NOW) == NOW + timedelta(hours=4)

    first = plan_round([*notices, mail(4)], {}, NOW, owner_notices=True, owner_digest=digest)
    assert [[m.id for m in email] for email in first.emails] == [[1, 2, 3], [4]]  # a link never waits for it
    later = plan_round(notices, {}, NOW, owner_notices=True, owner_digest=digest, last_owner_email=NOW)
    assert later.emails == [] and later.deferred == dict.fromkeys((1, 2, 3), NOW + digest)
