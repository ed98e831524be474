"""The outbox's sender: a background thread delivering queued emails, so no request waits on SMTP.

``create_app`` starts one per app. It wakes when a request queues an email
(``wake``) and on a timer (when the next retry is due, and at least every
POLL_SECONDS); each round claims the due mails (``Store.claim_mail``, under the
rules of outbox.py), sends them one email at a time and records how it went.
``invoke comments.retry-mail`` runs the same rounds once, in its own process.

An email that went out but could not be recorded (the database locked, broken
or full) is remembered and recorded before anything else is sent, so that it is
not sent twice; only a process killed in between sends an email twice. Nothing
that goes wrong with one email, or with the database, stops the thread.
"""

import logging
import threading
from dataclasses import dataclass

from handbill.core.records import redact_emails

from .mailer import MailError
from .store import StoreBusy, StoreUnavailable, utc_now

logger = logging.getLogger(__name__)

POLL_SECONDS = 15.0
# Never loop faster than this, whatever the clock says is due.
SHORTEST_WAIT = 0.5


@dataclass
class DeliveryReport:
    sent: int = 0  # emails handed to the SMTP server
    failed: int = 0  # emails whose attempt failed (retried later, or failed for good)


class MailSender:
    def __init__(self, store, notifier, mailer, *, clock=utc_now):
        self.store = store
        self.notifier = notifier
        self.mailer = mailer
        self.clock = clock
        # (Email, the error or None, when) of attempts not recorded yet, oldest first.
        self._unrecorded = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._run, name="handbill-mail-sender", daemon=True)
        self._thread.start()
        return self

    def wake(self):
        """Mail was queued: deliver it now rather than at the next timer."""
        self._wake.set()

    def stop(self, timeout=30):
        """Stop after the email being sent (at most an SMTP timeout or so)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def deliver_due(self):
        """Rounds until no mail is due: a DeliveryReport. Raises StoreBusy or StoreUnavailable
        when the database fails it (what was not recorded stays remembered)."""
        report = DeliveryReport()
        while not self._stopping.is_set():
            self._record_attempts()
            emails = self.store.claim_mail(
                self.clock(), owner_notices=self.notifier.owner_notices, owner_digest=self.notifier.owner_digest
            )
            if not emails:
                break
            for email in emails:
                if self._stopping.is_set():
                    break  # those left are taken again when their lease runs out
                self._attempt(email, report)
                self._record_attempts()
        return report

    def _attempt(self, email, report):
        ids = ", ".join(mail.comment.id for mail in email.mails)
        try:
            self.mailer.send(self.notifier.message(email))
        except MailError as error:
            failure = error
        except Exception as error:  # an email that cannot be written must not stop the others
            logger.exception("Email %s (for %s) could not be written", email.batch, ids)
            failure = error
        else:
            failure = None
        self._unrecorded.append((email, failure, self.clock()))
        # Addresses stay out of the log: it names the comments only.
        if failure is None:
            logger.info("Email %s (%s email for %s) sent", email.batch, email.kind, ids)
            report.sent += 1
        else:
            logger.warning("Email %s (%s email for %s) not sent: %s", email.batch, email.kind, ids,
                           redact_emails(str(failure)))
            report.failed += 1

    def _record_attempts(self):
        while self._unrecorded:
            email, error, when = self._unrecorded[0]
            if error is None:
                self.store.mark_sent(email, when)
            else:
                self.store.mark_failed(email, error, when)
            self._unrecorded.pop(0)

    def _run(self):
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.deliver_due()
                due = self.store.next_mail_due()
            except (StoreBusy, StoreUnavailable) as error:
                logger.error("Mail sender: %s; trying again in %g s", error, POLL_SECONDS)
                due = None
            except Exception:
                logger.exception("Mail sender: unexpected error; trying again in %g s", POLL_SECONDS)
                due = None
            wait = POLL_SECONDS if due is None else (due - self.clock()).total_seconds()
            self._wake.wait(min(max(wait, SHORTEST_WAIT), POLL_SECONDS))
