"""Publish on approve: approved comments go live without the owner typing a command.

With ``COMMENT_SERVICE["publish_on_approve"] = "local"`` (the service runs on the machine that
builds the site), every approval reaches ``Publisher.comments_approved`` (the app's
PublishHook). A thread of the service then exports the records (``moderation.export``), and a
child process builds the site with ``publish_settings`` and deploys it with the project's own
publishing (``handbill.publishing.publish``: production build, checks, target), so a build that
crashes cannot take the service down.

- **Debounced**: approvals within ``publish_debounce_seconds`` of the first one make one build.
- **Single-flight**: one build at a time, in this process (the Schedule below) and across
  processes (a lock file beside the database, which ``invoke comments.publish-now`` takes too);
  approvals made during a build make exactly one more build once it ends.
- **Nothing is lost**: the approved comments stay approved in the database and export is
  idempotent, so a failed build or deploy only delays them. The failure is kept in the
  ``publish_state`` table (``status()``, for the owner's moderation page) and emailed to the
  owner; the next approval, ``retry()`` or ``invoke comments.publish-now`` publishes them.
- Comments approved without the hook (by ``invoke comments.approve`` in another process, or
  automatically on confirmation) are found by a look at the database every CATCH_UP_SECONDS.

The schedule is a pure state machine (``Schedule`` and the functions after it), so the
debounce and single-flight rules are tested without threads or clocks.
"""

import fcntl
import json
import logging
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from handbill.core.records import redact_emails

from .mailer import Mailer, MailError, plain_message
from .moderation import export
from .publish_hook import PublishHook
from .store import Store, StoreBusy, StoreUnavailable, timestamp, utc_now

logger = logging.getLogger(__name__)

# How often the thread looks for approved comments nobody told it about, and tries again to
# send a failure notice the SMTP server refused.
CATCH_UP_SECONDS = 5.0
# The lines of a failed build's output kept as its error summary.
ERROR_LINES = 25


# -- the schedule: debounce and single flight, as a pure state machine -------------------------


@dataclass(frozen=True)
class Schedule:
    """What the publisher knows: approved comment ids no build has taken (``waiting``), when a
    build was first asked for since the last one started (``asked_at``, seconds on a monotonic
    clock; None: nothing asks for a build, e.g. ids left over from a failed one wait for the next
    approval or a retry), and the ids the running build took (``building``; None: none runs)."""

    waiting: frozenset = frozenset()
    asked_at: float | None = None
    building: frozenset | None = None


@dataclass(frozen=True)
class Wait:
    """Nothing to start now; look again after ``seconds`` (None: when something happens)."""

    seconds: float | None


@dataclass(frozen=True)
class Build:
    """Start a build now."""


def approved(schedule, ids, now):
    """Comments ``ids`` were approved at ``now``: they ask for a build (the debounce window
    starts with the first approval since the last build started)."""
    asked_at = now if schedule.asked_at is None else schedule.asked_at
    return replace(schedule, waiting=schedule.waiting | frozenset(ids), asked_at=asked_at)


def left_over(schedule, ids):
    """Ids a failed or interrupted publish left behind: they wait, without asking for a build."""
    return replace(schedule, waiting=schedule.waiting | frozenset(ids))


def retry_asked(schedule, now, debounce):
    """The owner asked to publish now: a build starts as soon as none is running."""
    return replace(schedule, asked_at=now - debounce)


def next_step(schedule, now, debounce):
    """Build or Wait, given the debounce window of ``debounce`` seconds."""
    if schedule.building is not None or schedule.asked_at is None:
        return Wait(None)
    due = schedule.asked_at + debounce
    return Build() if now >= due else Wait(due - now)


def build_started(schedule):
    """The build takes every waiting id; approvals from now on ask for the next one."""
    return Schedule(waiting=frozenset(), asked_at=None, building=schedule.waiting)


def build_finished(schedule, succeeded):
    """The build ended; a failed one's ids wait again (without asking for a build themselves)."""
    finished = replace(schedule, building=None)
    return finished if succeeded else left_over(finished, schedule.building)


def unpublished(schedule):
    """Every id approved and not yet in a deployed site."""
    return schedule.waiting | (schedule.building or frozenset())


# -- one publish: export, then build and deploy in a child process ------------------------------


@dataclass(frozen=True)
class PublishOutcome:
    succeeded: bool
    summary: str  # what happened, in a few lines the owner can act on


@contextmanager
def publish_lock(config):
    """Held while one publish runs, by the service or by ``invoke comments.publish-now``."""
    path = config.db_path.with_name(config.db_path.name + ".publish-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def publish_command(config):
    """The child process's command line: ``python -m handbill.comment_service.publisher``."""
    command = [sys.executable, "-m", __name__, str(config.publish_settings)]
    return command + ([config.publish_target] if config.publish_target else [])


def publish_once(config, store):
    """Export the approved comments, then build and deploy in a child process: a PublishOutcome."""
    result = export(store, config.comments_dir, utc_now())
    if result.problems:
        return PublishOutcome(False, "Export failed for some comments:\n" + "\n".join(result.problems))
    logger.info("Exported %d new record(s); building with %s", len(result.written), config.publish_settings.name)
    started = time.monotonic()
    completed = subprocess.run(
        publish_command(config), cwd=config.project_root, capture_output=True, text=True, check=False,
    )
    output = redact_emails((completed.stdout + completed.stderr).strip())
    logger.info("Publish ended with status %d after %.1f s", completed.returncode, time.monotonic() - started)
    if completed.returncode != 0:
        lines = output.splitlines()[-ERROR_LINES:] or [f"the build exited with status {completed.returncode}"]
        return PublishOutcome(False, "\n".join(lines))
    return PublishOutcome(True, output.splitlines()[-1] if output else "published")


def main(argv):
    """The child process: ``SETTINGS [TARGET]``; one line saying what happened, exit 1 on failure."""
    from handbill.publishing import DeployError, PublishRefused, PublishSettingsError, publish

    settings_file, target = argv[0], (argv[1] if len(argv) > 1 else None)
    try:
        result = publish(settings_file, target=target)
    except PublishSettingsError as error:
        print("The PUBLISH setting is wrong:\n" + "\n".join(f"  - {p}" for p in error.problems), file=sys.stderr)
        return 1
    except PublishRefused as refused:
        lines = "\n".join(f"  - {problem}" for problem in refused.problems)
        print(f"The build was refused, {refused}:\n{lines}", file=sys.stderr)
        return 1
    except DeployError as error:
        print(f"The deployment failed: {error}\nThe deployed site was not changed.", file=sys.stderr)
        return 1
    if result.deployed:
        print(f"Published to {result.target}: {result.changes.summary()}.")
    else:
        print(f"{result.target} is already up to date.")
    return 0


# -- the owner's notice -----------------------------------------------------------------------


def failure_notice(config, error, pending_count):
    """The email telling the owner that approved comments did not go live."""
    return plain_message(
        config.require_smtp().sender,
        config.owner_email,
        f"[{config.site_name or 'comments'}] Approved comments were not published",
        f"Publishing {pending_count} approved comment(s) failed. They stay approved, and go live with\n"
        "the next approval, or now with `invoke comments.publish-now` once the problem is fixed.\n\n"
        f"What went wrong:\n\n{error}\n",
    )


# -- the service's publisher ------------------------------------------------------------------


@dataclass
class _Shared:
    """The state the thread and the callers share, under ``Publisher._changed``'s lock."""

    schedule: Schedule = field(default_factory=Schedule)
    publishing: bool = False  # from a build's start until its outcome is recorded and told
    stopping: bool = False


class Publisher(PublishHook):
    """Publishes approved comments from a thread of the service (``start``/``stop``)."""

    def __init__(self, config, store, mailer, *, clock=time.monotonic):
        self.config = config
        self.store = store
        self.mailer = mailer
        self.clock = clock
        self._shared = _Shared()
        self._changed = threading.Condition()
        self._thread = None
        self.builds = 0  # builds started by this publisher (the tests and benchmark count them)

    def _take_leftovers(self):
        """Approvals a failed or interrupted publish left behind wait for the next approval."""
        leftover = json.loads(self.store.publish_state()["pending_ids"])
        with self._changed:
            self._shared.schedule = left_over(self._shared.schedule, leftover)

    # -- what the service calls

    def comments_approved(self, ids):
        with self._changed:
            self._shared.schedule = approved(self._shared.schedule, ids, self.clock())
            self._changed.notify_all()
        self._save_pending()

    def retry(self):
        """Publish now (after the running build, if one runs), whether or not anything waits."""
        with self._changed:
            debounce = self.config.publish_debounce_seconds
            self._shared.schedule = retry_asked(self._shared.schedule, self.clock(), debounce)
            self._changed.notify_all()

    def status(self):
        """For the owner's page (JSON-ready): the last attempt, its outcome and error, the
        approvals not live yet, and whether a build is running or waiting to start."""
        state = self.store.publish_state()
        with self._changed:
            schedule = self._shared.schedule
        return {
            "mode": self.config.publish_on_approve,
            "outcome": state["outcome"],
            "building": schedule.building is not None,
            "build_asked": schedule.asked_at is not None,
            "pending_ids": sorted(unpublished(schedule)),
            "last_attempt_at": state["last_attempt_at"],
            "last_finished_at": state["last_finished_at"],
            "last_success_at": state["last_success_at"],
            "error": state["error"],
            "attempts": state["attempts"],
            "owner_notified": state["notice"],
        }

    def publish_now(self):
        """Publish in the calling thread, without the service (``invoke comments.publish-now``);
        the status afterwards."""
        self._take_leftovers()
        with self._changed:
            self._shared.schedule = build_started(self._shared.schedule)
        self._publish()
        return self.status()

    def wait_until_idle(self, timeout):
        """True once no build runs or is asked for (within ``timeout`` seconds)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not self._shared.publishing and self._shared.schedule.asked_at is None, timeout
            )

    # -- the thread

    def start(self):
        self._take_leftovers()
        self._thread = threading.Thread(target=self._run, name="handbill-publisher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=None):
        """Stop; a build that runs is finished first (a deploy is never cut in half)."""
        with self._changed:
            self._shared.stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self):
        next_catch_up = self.clock()
        while True:
            with self._changed:
                if self._shared.stopping:
                    return
                step = next_step(self._shared.schedule, self.clock(), self.config.publish_debounce_seconds)
                if isinstance(step, Wait):
                    until_catch_up = max(next_catch_up - self.clock(), 0)
                    wait = until_catch_up if step.seconds is None else min(step.seconds, until_catch_up)
                    self._changed.wait(wait)
                else:
                    self._shared.schedule = build_started(self._shared.schedule)
                    self._shared.publishing = True
                    self.builds += 1
            try:
                if isinstance(step, Build):
                    self._publish()
                if self.clock() >= next_catch_up:
                    next_catch_up = self.clock() + CATCH_UP_SECONDS
                    self._catch_up()
            except (StoreBusy, StoreUnavailable) as error:
                logger.error("Publisher: %s; trying again in %g s", error, CATCH_UP_SECONDS)
            except Exception:
                logger.exception("Publisher: unexpected error; trying again in %g s", CATCH_UP_SECONDS)

    def _catch_up(self):
        with self._changed:
            known = unpublished(self._shared.schedule)
        missed = [comment_id for comment_id in self.store.unexported_approved_ids() if comment_id not in known]
        if missed:
            logger.info("Publisher: %d approved comment(s) found waiting for a build", len(missed))
            self.comments_approved(missed)
        self._send_notice()

    def _publish(self):
        try:
            self._publish_and_record()
        finally:
            with self._changed:
                self._shared.publishing = False
                self._changed.notify_all()

    def _publish_and_record(self):
        attempt = self.store.publish_state()["attempts"] + 1
        self.store.save_publish_state(outcome="running", last_attempt_at=timestamp(utc_now()), attempts=attempt)
        self._save_pending()
        try:
            with publish_lock(self.config):
                outcome = publish_once(self.config, self.store)
        except Exception as error:  # whatever stops a publish, the approvals wait for the next one
            logger.exception("Publish failed")
            outcome = PublishOutcome(False, f"{type(error).__name__}: {error}")
        with self._changed:
            self._shared.schedule = build_finished(self._shared.schedule, outcome.succeeded)
            self._changed.notify_all()
        now = timestamp(utc_now())
        if outcome.succeeded:
            logger.info("Published approved comments: %s", outcome.summary)
            self.store.save_publish_state(outcome="published", last_finished_at=now, last_success_at=now, error="")
        else:
            logger.error("Publishing approved comments failed:\n%s", outcome.summary)
            self.store.save_publish_state(outcome="failed", last_finished_at=now, error=outcome.summary,
                                          notice="queued")
        self._save_pending()
        self._send_notice()

    def _save_pending(self):
        with self._changed:
            pending = sorted(unpublished(self._shared.schedule))
        self.store.save_publish_state(pending_ids=json.dumps(pending))

    def _send_notice(self):
        """Email the owner about the last failure, once; an SMTP fault leaves it queued."""
        state = self.store.publish_state()
        if state["notice"] != "queued":
            return
        if not self.config.owner_email:
            logger.warning("Publishing failed and no owner_email (or COMMENTS contact_email) is set to tell")
            self.store.save_publish_state(notice="none")
            return
        try:
            self.mailer.send(failure_notice(self.config, state["error"], len(json.loads(state["pending_ids"]))))
        except MailError as error:
            logger.warning("The owner's notice of the failed publish was not sent (%s); trying again", error)
            return
        self.store.save_publish_state(notice="sent")


def publisher_for(config, mailer=None):
    """The Publisher (not started) to give ``create_app`` as its ``publish_hook`` when
    ``publish_on_approve`` is "local", else None; ``mailer`` defaults to the configured SMTP."""
    if config.publish_on_approve != "local":
        return None
    return Publisher(config, Store(config.db_path), mailer or Mailer(config.require_smtp()))


if __name__ == "__main__":
    from handbill.invoking import plain_log_lines

    with plain_log_lines(logging.WARNING):
        sys.exit(main(sys.argv[1:]))
