"""The last garbage collection at exit is skipped, and only when asked for."""

import subprocess
import sys

import pytest

# A reference cycle whose finalizer leaves a mark: only a garbage collection frees it.
SCRIPT = """
import gc
import sys
from pathlib import Path

from handbill.core.process_exit import end_without_final_collection

gc.disable()  # no collection while the script runs: only the one at exit can free the cycle


class Cycle:
    # Bound now: at exit the module's globals may be gone when the collector calls it.
    def __del__(self, leave_mark=Path(sys.argv[1]).write_text):
        leave_mark("collected")


cycle = Cycle()
cycle.itself = cycle
del cycle
if sys.argv[2] == "skip":
    end_without_final_collection()
    end_without_final_collection()  # a second call, as a second build in the process makes, changes nothing
"""


@pytest.mark.parametrize(("asked", "collected"), [("skip", False), ("keep", True)])
def test_the_exit_collects_the_garbage_unless_asked_not_to(tmp_path, asked, collected):
    mark = tmp_path / "mark"
    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(mark), asked], check=False, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    assert mark.exists() is collected
