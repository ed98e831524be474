"""``invoke publish``: build for production, check, and deploy to the configured target.

``publish`` keeps the top-level name pelican-quickstart's tasks.py gives it, so
this namespace has no name of its own: the project's tasks.py adds its tasks
to the top level.
"""

from invoke import Collection, Exit, task

from handbill.invoking import project_file

from . import DeployError, PublishRefused, PublishSettingsError
from . import publish as publish_site


@task(
    help={
        "target": "deploy here instead of PUBLISH['target']: directory, rsync, git or archive",
        "dry_run": "build and check, then list what would change (new, changed, removed); deploy nothing",
        "settings": "production settings file (default: publishconf.py)",
    }
)
def publish(c, target=None, dry_run=False, settings="publishconf.py"):
    """Build with publishconf.py, check links, drafts and comments, then deploy (PUBLISH setting)."""
    try:
        result = publish_site(project_file(c, settings), target=target, dry_run=dry_run)
    except PublishSettingsError as error:
        problems = "\n".join(f"  - {problem}" for problem in error.problems)
        raise Exit(f"publish: fix the PUBLISH setting:\n{problems}") from None
    except PublishRefused as refused:
        lines = "\n".join(f"  - {problem}" for problem in refused.problems)
        raise Exit(f"publish: refused, {refused}:\n{lines}") from None
    except DeployError as error:
        raise Exit(f"publish: {error}\nThe deployed site was not changed.") from None
    if dry_run:
        for line in result.changes.lines():
            print(line)
        print(f"Dry run: publishing to {result.target} would make {result.changes.summary()}.")
    elif result.deployed:
        print(f"Published to {result.target}: {result.changes.summary()}.")
    else:
        print(f"{result.target} is already up to date; nothing to publish.")


namespace = Collection(publish)
