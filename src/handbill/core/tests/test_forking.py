"""call_in_fork: a result computed in another process from the state at the call."""

import os

import pytest

from handbill.core.forking import ForkedCallFailed, call_in_fork


def test_the_result_is_of_the_state_at_the_call_not_of_later_changes():
    posts = ["first"]
    wait = call_in_fork(lambda: (os.getpid(), list(posts)))
    posts.append("second")  # the build goes on while the forked process works

    pid, seen = wait()

    assert seen == ["first"]
    assert pid != os.getpid()


def test_an_exception_in_the_function_is_raised_by_wait_with_its_message():
    def broken():
        raise ValueError("no such post")

    with pytest.raises(ForkedCallFailed, match=r"^ValueError: no such post$"):
        call_in_fork(broken)()


def test_a_process_that_dies_is_a_failure_naming_its_status():
    with pytest.raises(ForkedCallFailed, match=r"its process ended with status 3"):
        call_in_fork(lambda: os._exit(3))()
