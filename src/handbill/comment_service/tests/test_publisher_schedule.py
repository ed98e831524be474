"""The publisher's schedule (debounce and single flight), as the pure state machine it is."""

from handbill.comment_service.publisher import (
    Build,
    Schedule,
    Wait,
    approved,
    build_finished,
    build_started,
    left_over,
    next_step,
    retry_asked,
    unpublished,
)

DEBOUNCE = 10.0


def test_nothing_approved_waits_for_something_to_happen():
    assert next_step(Schedule(), now=100.0, debounce=DEBOUNCE) == Wait(None)


def test_approvals_within_the_window_make_one_build():
    schedule = approved(Schedule(), {"c-1"}, now=100.0)
    assert next_step(schedule, now=100.0, debounce=DEBOUNCE) == Wait(10.0)
    schedule = approved(schedule, {"c-2"}, now=105.0)
    assert next_step(schedule, now=105.0, debounce=DEBOUNCE) == Wait(5.0)  # from the first approval
    assert next_step(schedule, now=110.0, debounce=DEBOUNCE) == Build()
    building = build_started(schedule)
    assert building.building == {"c-1", "c-2"} and building.waiting == frozenset()
    assert next_step(build_finished(building, succeeded=True), now=111.0, debounce=DEBOUNCE) == Wait(None)


def test_never_two_builds_at_once_and_approvals_during_a_build_make_exactly_one_more():
    schedule = build_started(approved(Schedule(), {"c-1"}, now=0.0))
    for moment, comment_id in ((1.0, "c-2"), (30.0, "c-3")):
        schedule = approved(schedule, {comment_id}, now=moment)
        assert next_step(schedule, now=moment + 100, debounce=DEBOUNCE) == Wait(None)  # one runs
    schedule = build_finished(schedule, succeeded=True)
    assert next_step(schedule, now=31.0, debounce=DEBOUNCE) == Build()  # the window passed during the build
    schedule = build_started(schedule)
    assert schedule.building == {"c-2", "c-3"}
    assert next_step(build_finished(schedule, succeeded=True), now=32.0, debounce=DEBOUNCE) == Wait(None)


def test_a_failed_build_keeps_its_approvals_for_the_next_approval():
    schedule = build_finished(build_started(approved(Schedule(), {"c-1"}, now=0.0)), succeeded=False)
    assert unpublished(schedule) == {"c-1"}
    assert next_step(schedule, now=1000.0, debounce=DEBOUNCE) == Wait(None)  # no retry loop on its own
    schedule = approved(schedule, {"c-2"}, now=1000.0)
    assert next_step(schedule, now=1010.0, debounce=DEBOUNCE) == Build()
    assert build_started(schedule).building == {"c-1", "c-2"}


def test_a_retry_builds_at_once_or_right_after_the_running_build():
    failed = build_finished(build_started(approved(Schedule(), {"c-1"}, now=0.0)), succeeded=False)
    assert next_step(retry_asked(failed, now=50.0, debounce=DEBOUNCE), now=50.0, debounce=DEBOUNCE) == Build()
    running = build_started(approved(Schedule(), {"c-1"}, now=0.0))
    asked = retry_asked(running, now=5.0, debounce=DEBOUNCE)
    assert next_step(asked, now=5.0, debounce=DEBOUNCE) == Wait(None)
    assert next_step(build_finished(asked, succeeded=True), now=6.0, debounce=DEBOUNCE) == Build()


def test_leftovers_wait_without_asking_for_a_build():
    schedule = left_over(Schedule(), ["c-1"])
    assert unpublished(schedule) == {"c-1"} and next_step(schedule, now=0.0, debounce=0.0) == Wait(None)
