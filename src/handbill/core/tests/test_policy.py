"""Policy decisions per post and per record, and the COMMENTS setting."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from handbill.core.comment_settings import (
    CLOSED_NOTICE,
    CommentSettings,
    CommentSettingsError,
    load_comment_settings,
)
from handbill.core.policy import comments_state, hold_reason, parse_override
from handbill.core.records import CommentRecord

NOW = datetime(2024, 6, 1, tzinfo=UTC)
POSTED = datetime(2024, 5, 1, tzinfo=UTC)
RECORD = CommentRecord(
    id="c-1", post="p", author="Dana Whitfield", date=POSTED + timedelta(days=1),
    body="Hi", identity="email-verified",
)


def state(override=None, **settings):
    return comments_state(CommentSettings(**settings), POSTED, override, NOW)


@pytest.mark.parametrize(
    ("settings", "override", "mode", "policy"),
    [
        ({}, None, "open", "identified"),
        ({"policy": "anyone"}, None, "open", "anyone"),
        ({"policy": "closed"}, None, "closed", "identified"),
        ({"policy": "closed"}, "open", "open", "identified"),
        ({}, "closed", "closed", "identified"),
        ({}, "hidden", "hidden", "identified"),
        ({"policy": "anyone"}, "hidden", "hidden", "anyone"),
        ({"close_after_days": 30}, None, "closed", "identified"),
        ({"close_after_days": 30}, "open", "closed", "identified"),
        ({"close_after_days": 30}, "hidden", "hidden", "identified"),
        ({"close_after_days": 32}, None, "open", "identified"),
    ],
)
def test_post_state(settings, override, mode, policy):
    result = state(override, **settings)
    assert (result.mode, result.policy) == (mode, policy)


def test_closes_at_is_the_post_date_plus_the_days():
    assert state(close_after_days=31).closes_at == POSTED + timedelta(days=31)
    assert state().closes_at is None
    assert state("hidden", close_after_days=31).closes_at is None


@pytest.mark.parametrize(("value", "mode"), [(None, None), ("", None), (" Open ", "open"), ("HIDDEN", "hidden")])
def test_parse_override(value, mode):
    assert parse_override(value) == mode


def test_unknown_override_is_refused():
    with pytest.raises(ValueError, match="'maybe' is not one of open, closed, hidden"):
        parse_override("maybe")


@pytest.mark.parametrize(
    ("changes", "settings", "reason"),
    [
        ({}, {}, None),
        ({"author": "SocialGuru99"}, {}, "name 'SocialGuru99' is not a real full name: a handle"),
        ({"author": "Anonymous"}, {}, "is not a real full name"),
        ({"author": "SocialGuru99"}, {"policy": "anyone"}, None),
        ({"author": "Dana", "identity": "site-owner"}, {}, None),
        ({"identity": "imported"}, {}, None),
        ({"identity": "imported"}, {"imported_count_as_identified": False}, "imported comments do not count"),
        ({"identity": "imported"}, {"imported_count_as_identified": False, "policy": "anyone"}, None),
        ({"status": "held", "held_reason": "spam"}, {}, "spam"),
        ({"status": "held"}, {"policy": "anyone"}, "held by the site owner"),
        ({"status": "held", "identity": "site-owner"}, {}, "held by the site owner"),
    ],
)
def test_hold_reason(changes, settings, reason):
    settings = CommentSettings(**settings)
    post = comments_state(settings, POSTED, None, POSTED)
    result = hold_reason(replace(RECORD, **changes), settings, post)
    if reason is None:
        assert result is None
    else:
        assert reason in result


def test_comments_after_closing_are_held_except_the_owners():
    settings = CommentSettings(close_after_days=10)
    post = comments_state(settings, POSTED, None, NOW)
    late = replace(RECORD, date=POSTED + timedelta(days=11))
    assert hold_reason(late, settings, post).startswith("arrived after comments closed on 2024-05-11")
    assert hold_reason(replace(RECORD, date=POSTED + timedelta(days=9)), settings, post) is None
    assert hold_reason(replace(late, identity="site-owner"), settings, post) is None


def test_settings_defaults():
    settings = load_comment_settings({})
    assert settings == CommentSettings()
    assert (settings.policy, settings.moderation, settings.close_after_days) == ("identified", True, None)
    assert settings.imported_count_as_identified is True
    assert (settings.service_url, settings.contact_email, settings.path) == ("", "", "comments")


def test_settings_are_read_and_service_url_normalized():
    settings = load_comment_settings({"COMMENTS": {
        "policy": "anyone", "moderation": False, "close_after_days": 14,
        "service_url": "https://comments.example.com/", "contact_email": "dana@example.com",
    }})
    assert settings.service_url == "https://comments.example.com"
    assert (settings.policy, settings.moderation, settings.close_after_days) == ("anyone", False, 14)


def test_bad_settings_are_all_reported_and_good_ones_kept():
    with pytest.raises(CommentSettingsError) as caught:
        load_comment_settings({"COMMENTS": {
            "policy": "everyone", "moderation": "yes", "close_after_days": -1,
            "service_url": "ftp://x", "contact_email": "nobody", "colour": "red", "notice": "Be kind.",
        }})
    problems = "\n".join(caught.value.problems)
    for key in ("policy", "moderation", "close_after_days", "service_url", "contact_email", "colour"):
        assert f'COMMENTS["{key}"]' in problems
    assert caught.value.settings == CommentSettings(notice="Be kind.")


def test_default_notices_explain_each_policy():
    identified = CommentSettings().notice_for("identified")
    assert "pseudonym" in identified and "never published" in identified and "approved" in identified
    anyone = CommentSettings(moderation=False).notice_for("anyone")
    assert "Anyone" in anyone and "approved" not in anyone
    assert CommentSettings(notice="House rules.").notice_for("identified") == "House rules."
    assert CLOSED_NOTICE == "Comments are closed."
