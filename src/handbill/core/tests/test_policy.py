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
from handbill.core.identity import name_issue
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
        ({"author": "SocialGuru99"}, {}, "name 'SocialGuru99' is not a real full name: it looks like a handle"),
        ({"author": "Anonymous"}, {}, "name 'Anonymous' is not a real full name: it is a placeholder"),
        ({"author": "Ｄａｎａ Ｗｈｉｔｆｉｅｌｄ"}, {}, "is not a real full name: it is written in styled"),
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


@pytest.mark.parametrize("author", ["SocialGuru99", "coffee_lover88", "Аdmin User", "Dana\u200b Whitfield"])
def test_the_owners_reason_for_a_name_is_the_owners_wording_of_the_name_check(author):
    settings = CommentSettings()
    post = comments_state(settings, POSTED, None, POSTED)
    reason = hold_reason(replace(RECORD, author=author), settings, post)
    assert reason == f"name {author!r} is not a real full name: {name_issue(author).for_owner}"


OWNER = CommentSettings(owner_names=("Dana Whitfield", "D. W. Coaching"))


@pytest.mark.parametrize(
    "author",
    ["Dana Whitfield", "DANA  WHITFIELD", "Dána Whitfield", "Dаna Whitfield", "Dana WhitfieId", "d. w. coaching"],
)
@pytest.mark.parametrize("policy", ["identified", "anyone"])
def test_only_the_owner_signs_with_the_owners_name(author, policy):
    settings = replace(OWNER, policy=policy)
    post = comments_state(settings, POSTED, None, POSTED)
    reason = hold_reason(replace(RECORD, author=author), settings, post)
    assert reason == f"name {author!r} is the site owner's, reserved for the owner's own comments"
    assert hold_reason(replace(RECORD, author=author, identity="site-owner"), settings, post) is None


@pytest.mark.parametrize("author", ["Dana Whitman", "Jane Whitfield", "Zoë de la Cruz"])
def test_other_names_are_not_the_owners(author):
    post = comments_state(OWNER, POSTED, None, POSTED)
    assert hold_reason(replace(RECORD, author=author), OWNER, post) is None


def test_without_owner_names_no_name_is_reserved():
    assert hold_reason(RECORD, CommentSettings(), comments_state(CommentSettings(), POSTED, None, POSTED)) is None


def test_the_owners_names_default_to_the_author_setting():
    assert load_comment_settings({"AUTHOR": "Dana Whitfield"}).owner_names == ("Dana Whitfield",)
    assert load_comment_settings({}).owner_names is None
    given = {"AUTHOR": "Dana Whitfield", "COMMENTS": {"owner_names": ["Dana W.", "Dana Whitfield"]}}
    assert load_comment_settings(given).owner_names == ("Dana W.", "Dana Whitfield")
    assert load_comment_settings({"AUTHOR": "Dana", "COMMENTS": {"owner_names": []}}).owner_names == ()
    with pytest.raises(CommentSettingsError, match=r'COMMENTS\["owner_names"\] must be None or a list of text'):
        load_comment_settings({"COMMENTS": {"owner_names": "Dana Whitfield"}})


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
