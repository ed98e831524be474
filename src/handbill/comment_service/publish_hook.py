"""What happens once comments are approved: the hook the publishing side plugs into.

Every approval and every owner's reply, whichever way it was made (the moderation page, an
emailed action link, ``invoke comments.approve``/``comments.reply``), ends with one call:
``hook.comments_approved(ids)``. The app keeps its hook in ``app.extensions[PUBLISH_HOOK]``;
the default, ``PublishHook``, does nothing, so that moderating never depends on publishing.
A publisher subclasses it (or passes any object with ``comments_approved``) to ``create_app``.
"""

# The key of the app's hook in ``app.extensions``.
PUBLISH_HOOK = "handbill_publish_hook"


class PublishHook:
    """Told the ids of comments that were just approved (or written as the owner's reply)."""

    def comments_approved(self, ids):
        """Called after the approval is stored; ``ids`` is a list of comment ids, never empty.

        The default publishes nothing: the comments wait for ``invoke comments.export``.
        """

    def status(self):
        """What the moderation page shows of publishing (a JSON-ready dict), None when off."""

    def retry(self):
        """The owner's "Publish now": nothing to do when publishing is off."""
