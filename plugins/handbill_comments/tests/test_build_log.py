"""The build's log in a CI log or a pipe: one line per message, file names whole."""

import subprocess
import sys

import pytest

from handbill.testing.sites import write_site
from handbill_comments.tests.sitecontent import comment, post, site

# Longer than any terminal, so Rich's 80 columns would have split it.
LONG_SLUG = "a-post-whose-slug-goes-on-and-on-" + "-".join(["about-meeting-people-over-coffee"] * 5)

# The two ways we run Pelican: `invoke build` (run_pelican, in its process) and tests' child processes.
COMMANDS = {
    "run_pelican": ["-c", "import sys; from handbill.invoking import run_pelican; run_pelican(sys.argv[1:])"],
    "pelican_command": ["-m", "handbill.pelican_command"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_held_comments_warning_is_one_whole_line_when_the_output_is_a_pipe(tmp_path, command):
    _, _, settings_file = write_site(
        tmp_path,
        site(post(LONG_SLUG), comment(LONG_SLUG, "c-handle", "SocialGuru99", body="Handle words.")),
        {"COMMENTS": {"service_url": "https://comments.example.com", "contact_email": ""}},
    )
    result = subprocess.run(
        [sys.executable, *COMMANDS[command], "-s", str(settings_file)],
        cwd=tmp_path,
        capture_output=True,  # stdout is a pipe, as in CI
        text=True,
        # No COLUMNS: as in CI, nothing tells Rich how wide the output is.
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = (
        f"WARNING  Comment held: content/comments/{LONG_SLUG}/c-handle.md: "
        "name 'SocialGuru99' is not a real full name"
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith(expected) for line in lines), result.stdout
    assert all(len(line) < 1000 for line in lines)  # no padding out to some imagined width
