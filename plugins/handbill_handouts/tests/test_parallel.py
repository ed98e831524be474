"""The rendering pool: jobs streamed to it as they are made, the same files as one process."""

import gc
import json
import subprocess
import sys
import time
from dataclasses import replace

import psutil
import pytest

from handbill_handouts.rendering import Rendering, RenderingProcesses

from .test_rendering import job


def test_jobs_made_one_by_one_give_the_same_files_as_one_process(tmp_path):
    one, pool = tmp_path / "one", tmp_path / "pool"
    for folder in (one, pool):
        folder.mkdir()
    sizes = (("long", 3), ("middle", 2), ("short", 1))

    def jobs(folder):
        # A generator, as the build hands them over: each is made only when the pool asks for it.
        for name, pages in sizes:
            yield replace(
                job(tmp_path, name, pages, pdf_path=folder / f"{name}.pdf"), preview_path=str(folder / f"{name}.png")
            )

    list(Rendering(jobs(one), workers=1).results())
    results = {job.key: result for job, result in Rendering(jobs(pool), workers=2).results()}
    assert sorted(results) == sorted(f"handouts/{name}.pdf" for name, _ in sizes)
    assert all(result.error is None and result.seconds > 0 for result in results.values())
    assert [results[f"handouts/{name}.pdf"].pages for name, _ in sizes] == [3, 2, 1]
    names = sorted(path.name for path in one.iterdir())
    assert len(names) == 6 and names == sorted(path.name for path in pool.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (pool / name).read_bytes(), name


def test_no_object_stays_frozen_after_the_pool(tmp_path):
    (tmp_path / "blocked.pdf").mkdir()  # its rendering fails: the pool still ends as usual
    jobs = [job(tmp_path, "good", 1), job(tmp_path, "blocked", 1)]
    results = {job.key: result for job, result in Rendering(jobs, workers=2).results()}
    assert results["handouts/good.pdf"].error is None
    assert "IsADirectoryError" in results["handouts/blocked.pdf"].error
    assert results["handouts/blocked.pdf"].seconds > 0
    assert gc.get_freeze_count() == 0


def test_the_workers_render_while_this_process_goes_on_and_an_abandoned_rendering_ends_its_pool(tmp_path):
    started = Rendering([job(tmp_path, "first", 1), job(tmp_path, "second", 1)], workers=2)
    workers = psutil.Process().children()
    assert len(workers) == 2  # forked when the jobs were handed over, not when results are asked for
    results = {job.key: result for job, result in started.results()}
    assert [results[key].error for key in sorted(results)] == [None, None]
    assert started.last_finished > started.started

    abandoned = Rendering([job(tmp_path, f"later-{number}", 2) for number in range(4)], workers=2)
    abandoned.abandon()
    assert not [child for child in psutil.Process().children() if child.is_running() and child.status() != "zombie"]
    assert gc.get_freeze_count() == 0


def test_the_processes_end_when_their_last_job_is_done_before_the_results_are_asked_for(tmp_path):
    (tmp_path / "blocked.pdf").mkdir()  # a failed job is done too
    jobs = [job(tmp_path, "first", 1), job(tmp_path, "second", 2), job(tmp_path, "blocked", 1)]
    rendering = Rendering(jobs, workers=2)
    assert len(living_children()) == 2
    deadline = time.monotonic() + 120
    while living_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not living_children()  # and nothing has asked for the results yet
    assert gc.get_freeze_count() > 0  # the build's objects stay frozen until the results are taken
    results = {job.key: result for job, result in rendering.results()}
    assert results["handouts/first.pdf"].error is None and results["handouts/second.pdf"].pages == 2
    assert "IsADirectoryError" in results["handouts/blocked.pdf"].error
    assert (tmp_path / "first.pdf").read_bytes().startswith(b"%PDF")
    assert gc.get_freeze_count() == 0


def test_a_job_that_cannot_be_made_leaves_no_pool_and_no_frozen_object(tmp_path):
    def jobs():
        yield job(tmp_path, "made", 1)
        raise ValueError("the handout's HTML could not be filled in")

    with pytest.raises(ValueError, match="could not be filled in"):
        Rendering(jobs(), workers=2)
    assert not [child for child in psutil.Process().children() if child.is_running() and child.status() != "zombie"]
    assert gc.get_freeze_count() == 0


def living_children():
    return [child for child in psutil.Process().children() if child.is_running() and child.status() != "zombie"]


def has_loaded_pango(process):
    return any("libpango-1.0" in mapped.path for mapped in process.memory_maps())


def test_processes_started_early_load_weasyprint_before_any_job_and_render_the_same_files(tmp_path):
    one, early = tmp_path / "one", tmp_path / "early"
    for folder in (one, early):
        folder.mkdir()
    jobs = {
        folder: [job(tmp_path, name, 2, pdf_path=folder / f"{name}.pdf") for name in ("a", "b", "c")]
        for folder in (one, early)
    }

    processes = RenderingProcesses(2, start_now=True)
    workers = living_children()
    assert len(workers) == 2 and gc.get_freeze_count() > 0
    # Before any job: each process imports WeasyPrint (and so loads Pango) on its own.
    for worker in workers:
        deadline = time.monotonic() + 60
        while not has_loaded_pango(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert has_loaded_pango(worker)

    list(Rendering(jobs[one], workers=1).results())
    results = list(Rendering(jobs[early], workers=2, processes=processes).results())
    assert [result.error for _, result in results] == [None, None, None]
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        assert (one / name).read_bytes() == (early / name).read_bytes(), name
    assert not living_children() and gc.get_freeze_count() == 0


def test_processes_started_early_and_not_used_end_with_nothing_frozen():
    RenderingProcesses(2, start_now=True).close(cancel=True)
    assert not living_children() and gc.get_freeze_count() == 0


# Imports WeasyPrint's libraries, by names or under libraries_opened_by_name, and prints the
# processes started meanwhile and the library files loaded.
IMPORT_WATCHING_PROCESSES = """
import json, subprocess, sys
from handbill_handouts.rendering import libraries_opened_by_name

started = []

class Watched(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        started.append(args[0] if isinstance(args, (list, tuple)) else args)
        super().__init__(args, *rest, **options)

subprocess.Popen = Watched
if sys.argv[1] == "by-name":
    with libraries_opened_by_name():
        import weasyprint.text.ffi
else:
    import weasyprint.text.ffi
libraries = sorted({
    line.split()[-1] for line in open("/proc/self/maps")
    if any(name in line for name in ("libgobject", "libpango", "libharfbuzz", "libfontconfig"))
})
print(json.dumps({"started": started, "libraries": libraries}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shortcut is for Linux's library names")
def test_weasyprint_opens_the_same_libraries_by_name_without_searching_for_them():
    def imported(how):
        result = subprocess.run(
            [sys.executable, "-c", IMPORT_WATCHING_PROCESSES, how], capture_output=True, text=True, check=True
        )
        return json.loads(result.stdout)

    searching, by_name = imported("searching"), imported("by-name")
    assert searching["started"]  # ldconfig at least, and gcc and ld where gcc is installed
    assert by_name["started"] == []
    assert by_name["libraries"] == searching["libraries"]
    for name in ("libgobject", "libpango-1.0", "libpangoft2", "libharfbuzz", "libfontconfig"):
        assert any(name in library for library in by_name["libraries"]), name
