"""The rendering pool: jobs streamed to it as they are made, the same files as one process."""

import gc
from dataclasses import replace

import psutil
import pytest

from handbill_handouts.rendering import Rendering

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


def test_a_job_that_cannot_be_made_leaves_no_pool_and_no_frozen_object(tmp_path):
    def jobs():
        yield job(tmp_path, "made", 1)
        raise ValueError("the handout's HTML could not be filled in")

    with pytest.raises(ValueError, match="could not be filled in"):
        Rendering(jobs(), workers=2)
    assert not [child for child in psutil.Process().children() if child.is_running() and child.status() != "zombie"]
    assert gc.get_freeze_count() == 0
