"""page_inputs: work is finished before pages are rendered, at once when nothing queues them."""

import pytest

from handbill.core import page_inputs


class Work:
    def __init__(self, name, log):
        self.name, self.log = name, log

    def finish(self):
        self.log.append(("finished", self.name))

    def abandon(self):
        self.log.append(("abandoned", self.name))


@pytest.fixture(autouse=True)
def no_build_queuing():
    yield
    page_inputs.stop_queuing()


def test_without_a_queuing_writer_work_is_finished_at_once():
    log = []
    page_inputs.finish_before_rendering(Work("handouts", log))
    assert log == [("finished", "handouts")]


def test_while_pages_are_queued_work_waits_for_finish_all_and_is_finished_in_order_once():
    log = []
    page_inputs.start_queuing()
    page_inputs.finish_before_rendering(Work("handouts", log))
    page_inputs.finish_before_rendering(Work("cards", log))
    assert log == []

    page_inputs.finish_all()
    page_inputs.finish_all()
    assert log == [("finished", "handouts"), ("finished", "cards")]


def test_stopping_finishes_what_is_left_and_later_work_is_finished_at_once():
    log = []
    page_inputs.start_queuing()
    page_inputs.finish_before_rendering(Work("handouts", log))
    page_inputs.stop_queuing()
    page_inputs.finish_before_rendering(Work("cards", log))
    assert log == [("finished", "handouts"), ("finished", "cards")]


def test_work_left_by_a_build_that_stopped_half_way_is_abandoned_when_the_next_starts():
    log = []
    page_inputs.start_queuing()
    page_inputs.finish_before_rendering(Work("handouts", log))
    page_inputs.start_queuing()  # the next build; the last never reached its end
    page_inputs.finish_all()
    assert log == [("abandoned", "handouts")]
