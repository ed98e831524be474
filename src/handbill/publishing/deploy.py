"""Publish: production build into a temporary folder, checks, then deploy (or plan).

Nothing reaches the target unless the whole build passed every check, and
each target puts the new site in place all at once (see targets.py); a
refused or failed publish leaves the deployed site as it was.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from pelican.settings import read_settings

from handbill.core.comment_settings import CommentSettingsError, load_comment_settings

from .build import run_production_build
from .changes import ChangeSet
from .checks import Problem, run_checks
from .settings import load_publish_settings
from .targets import make_target


class PublishRefused(Exception):
    """The build failed or did not pass the checks; ``problems`` lists why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s); nothing was deployed")


@dataclass(frozen=True)
class PublishResult:
    target: str  # the target, described for people
    changes: ChangeSet  # what the deployment changed (or, in a dry run, would change)
    deployed: bool


def _comments_dir(settings):
    try:
        folder = load_comment_settings(settings).path
    except CommentSettingsError as error:
        folder = error.settings.path  # the build reports the bad keys
    return Path(settings["PATH"]) / folder


def publish(settings_file, target=None, dry_run=False):
    """Build the site of ``settings_file`` (publishconf.py), check it, and deploy it.

    ``target`` overrides ``PUBLISH["target"]``. A dry run builds and checks
    the same way and returns what would change, deploying nothing. Raises
    PublishSettingsError, PublishRefused or targets.DeployError.
    """
    settings_file = Path(settings_file).resolve()
    settings = read_settings(str(settings_file))
    deploy_target = make_target(load_publish_settings(settings, settings_file.parent, target))
    with tempfile.TemporaryDirectory(prefix="handbill-publish-") as work:
        site = Path(work) / "site"
        report = run_production_build(settings_file, site)
        if report.errors or report.returncode:
            raise PublishRefused(Problem("build", settings_file.name, error) for error in report.errors)
        problems = run_checks(site, report.site_url, report.drafts, _comments_dir(settings))
        if problems:
            raise PublishRefused(problems)
        deploy_target.prepare(site)
        changes = deploy_target.plan(site)
        deployed = not dry_run and not changes.empty
        if deployed:
            deploy_target.deploy(site)
        return PublishResult(deploy_target.describe(), changes, deployed)
