"""handbill_events on its own: Pelican's defaults, no other plugin (no handouts, so no
handouts on the pages either).

Pelican's default theme has no event templates, so the test gives one-line ``event.html``
and ``events.html`` (THEME_TEMPLATES_OVERRIDES), as a theme would.
"""

from handbill.testing.plugin_site import assert_alone, build_with_only

PLUGIN = "handbill_events"
POSTS = {
    "first-coffee.md": "Title: First coffee\nDate: 2024-01-01\nSlug: first-coffee\n\nText.\n",
    "follow-up.md": "Title: Follow up\nDate: 2024-02-01\nSlug: follow-up\n\nText.\n",
}
BREAKFAST = "Title: Chamber breakfast\nDate: 2026-12-03\nPlace: Riverside Hotel\nPosts: follow-up, first-coffee\n"
LUNCH = "Title: Lunch\nDate: 2026-11-01\nPosts: first-coffee, no-such-post\n"


def templates(folder):
    folder.mkdir()
    (folder / "event.html").write_text(
        "{{ event.name }}|{{ event.date }}|{{ event.place }}|{{ event.posts|join(',') }}|{{ event_handouts|length }}\n"
    )
    (folder / "events.html").write_text("{% for event in events %}{{ event.slug }} {% endfor %}\n")
    return str(folder)


def test_events_get_their_pages_and_a_bad_one_is_left_out(tmp_path, caplog):
    site = build_with_only(
        PLUGIN,
        {**POSTS, "events/chamber-breakfast.md": BREAKFAST, "events/lunch.md": LUNCH},
        tmp_path / "site",
        THEME_TEMPLATES_OVERRIDES=[templates(tmp_path / "templates")],
    )
    assert_alone(site, PLUGIN)
    page = site.read("events/chamber-breakfast/index.html").strip()
    assert page == "Chamber breakfast|2026-12-03|Riverside Hotel|follow-up,first-coffee|0"
    assert site.read("events/index.html").strip() == "chamber-breakfast"
    assert not site.exists("events/lunch/index.html")
    assert any("events/lunch.md" in message and "no-such-post" in message for message in caplog.messages)


def test_without_events_nothing_is_written(tmp_path):
    site = build_with_only(PLUGIN, POSTS, tmp_path / "site", THEME_TEMPLATES_OVERRIDES=[templates(tmp_path / "t")])
    assert_alone(site, PLUGIN)
    assert not site.exists("events/index.html")
