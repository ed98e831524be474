"""The event model's rules, checked without Pelican."""

import datetime as dt

import pytest

from handbill_events.model import Event, EventError, event_from_metadata

METADATA = {
    "title": "Chamber breakfast",
    "date": dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
    "place": "Riverside Hotel",
    "posts": "meeting-people, coffee-is-a-meeting",
    "welcome": "Thank you for coming.",
}


def read(metadata, known_posts=("meeting-people", "coffee-is-a-meeting")):
    return event_from_metadata(
        metadata, source="events/breakfast.md", slug="breakfast", url_pattern="events/{slug}/", known_posts=known_posts
    )


def test_a_description_becomes_an_event():
    event = read(METADATA)
    assert event == Event(
        slug="breakfast",
        name="Chamber breakfast",
        date=dt.date(2026, 12, 3),
        place="Riverside Hotel",
        posts=("meeting-people", "coffee-is-a-meeting"),
        welcome="Thank you for coming.",
        qr_target="post",
        url="events/breakfast/",
        source="events/breakfast.md",
    )
    assert event.campaign == "breakfast"
    assert event.qr_page("posts/2024/meeting-people/") == "posts/2024/meeting-people/"


def test_the_qr_code_may_lead_to_the_event_page():
    event = read({**METADATA, "qr-target": "Event"})
    assert event.qr_page("posts/2024/meeting-people/") == "events/breakfast/"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"posts": "meeting-people, nope"}, "events/breakfast.md: Posts: no published post has the slug 'nope'"),
        ({"posts": ""}, "events/breakfast.md: Posts: list the slugs"),
        ({"date": "3/12/2026"}, "events/breakfast.md: Date: must be a day as YYYY-MM-DD, not '3/12/2026'"),
        ({"title": " "}, "events/breakfast.md: Title: the event's name is required"),
        ({"qr-target": "home"}, "events/breakfast.md: QR-Target: must be one of post, event, not 'home'"),
        ({"slug": "Big Breakfast"}, "events/breakfast.md: Slug: must be lower-case"),
    ],
)
def test_a_bad_description_names_its_file_and_field(change, expected):
    with pytest.raises(EventError) as raised:
        read({**METADATA, **change})
    assert any(problem.startswith(expected) for problem in raised.value.problems), raised.value.problems


def test_every_problem_is_reported_at_once():
    with pytest.raises(EventError) as raised:
        read({"posts": "nope"})
    assert [problem.split(":")[1].strip() for problem in raised.value.problems] == ["Title", "Date", "Posts"]
