"""Publish the site to static hosting: build, check, then deploy all at once.

    from handbill.publishing import publish
    result = publish("publishconf.py", target="rsync", dry_run=True)

builds with the production settings into a temporary folder (build.py),
runs the pre-deploy checks (checks.py: links, drafts, unpublished
comments) and deploys to the target ``PUBLISH`` names (targets.py:
directory, rsync, git/GitHub Pages, archive), or in a dry run lists what
would change. ``invoke publish`` (tasks.py) is the command. Not a Pelican
plugin: it runs Pelican, it does not take part in a build.
"""

from .deploy import PublishRefused, PublishResult, publish
from .settings import PublishSettingsError
from .targets import DeployError

__all__ = ["DeployError", "PublishRefused", "PublishResult", "PublishSettingsError", "publish"]
