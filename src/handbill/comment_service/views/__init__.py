"""The service's routes, one blueprint per concern; ``create_app`` registers them all.

- ``comments``: ``GET /token`` and ``POST /comments``, what the form under a post talks to.
- ``verify``: ``GET`` and ``POST /verify/<token>``, the link emailed to the commenter.
- ``health``: ``GET /health``.
- ``subscriptions``: ``/unsubscribe/<token>`` and ``/delete/<token>``, the links in a commenter's emails.
- ``api``: ``GET /api/comments``, approved comments as records for ``invoke comments.sync``.
- ``moderate``: ``/moderate`` and below, the owner's page and the links of the owner's notices.
- ``visits``: ``POST /visits``, the beacon of a page opened from a printed QR code.

Each view reaches the app's CommentIntake (and through it the ServiceConfig) with
``responses.intake()``, from ``current_app`` rather than a module global: one process
may hold several apps at once, each with its own config and database (the tests do).
"""

from . import api, comments, health, moderate, subscriptions, verify, visits

BLUEPRINTS = (health.bp, comments.bp, verify.bp, moderate.bp, api.bp, subscriptions.bp, visits.bp)
