"""Handbill: the parts beside the Pelican plugins.

- ``handbill.core``: what every part shares: the comment-record contract, the
  comment policy and name check, settings loading, atomic writes, feed
  parsing, path normalisation, the articles a plugin handles.
- ``handbill.comment_service``: the comment service, a small Flask app
  (install the ``service`` extra).
- ``handbill.publishing``, ``handbill.importer``, ``handbill.linkcheck``: the
  tools behind ``invoke publish``, ``invoke import`` and the link check.
- ``handbill.testing``: pytest plugins that build real sites and drive Chromium.

The Pelican plugins themselves are top-level packages (``handbill_comments``,
``handbill_handouts``, …), each listed by name in PLUGINS.
"""
