"""Running one build in a child process: its wall-clock and CPU time, or its peak memory.

Memory is measured in separate runs from time, because sampling a process tree
every SAMPLE_SECONDS costs CPU the build would otherwise have.
"""

import os
import resource
import shlex
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

import psutil

SAMPLE_SECONDS = 0.02
MIB = 1024 * 1024


class BuildFailed(RuntimeError):
    pass


def wait_for_quiet_machine(load_below, longest_seconds, say=print):
    """Wait until the one-minute load average is below ``load_below``, for at most
    ``longest_seconds``; returns the seconds waited.

    Another process's CPU time is counted as the builds' own, and the load that
    work just before the run leaves (tests, an earlier bench) takes minutes to
    fade: a run started at a load average of 12 had its rounds of one size spread
    over 27 %.
    """
    started = time.monotonic()
    said = None
    while (load := os.getloadavg()[0]) >= load_below:
        waited = time.monotonic() - started
        if waited >= longest_seconds:
            say(f"the load average is still {load:.2f} after {waited:.0f} s; measuring anyway")
            break
        if said is None or time.monotonic() - said >= 30:
            say(f"waiting for the machine to settle: load average {load:.2f}, below {load_below} wanted")
            said = time.monotonic()
        time.sleep(5)
    return round(time.monotonic() - started, 1)


def failure(command, returncode, stderr):
    tail = "\n".join(stderr.strip().splitlines()[-15:])
    return BuildFailed(f"{shlex.join(command)} ended with status {returncode}:\n{tail}")


@dataclass(frozen=True)
class Timing:
    seconds: float  # wall clock, from start to exit
    # User and system time of the command and of every process it waited for
    # (forked workers, Pagefind): what the build cost the machine's cores.
    cpu_seconds: float


def _children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(command, cwd=None):
    """The ``Timing`` of ``command`` from start to exit; BuildFailed if it fails."""
    cpu_before, started = _children_cpu_seconds(), time.perf_counter()
    finished = subprocess.run(
        command, check=False, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds, cpu_seconds = time.perf_counter() - started, _children_cpu_seconds() - cpu_before
    if finished.returncode != 0:
        raise failure(command, finished.returncode, finished.stderr)
    return Timing(seconds, cpu_seconds)


@dataclass(frozen=True)
class MemoryPeak:
    tree_pss_mib: float  # the largest sum of PSS over the process and its descendants (workers)
    main_rss_mib: float  # the main process's largest resident set
    samples: int
    # Where the tree's PSS was at its peak: ((kind of process, how many, MiB), ...), largest first.
    at_peak: tuple = ()
    # The most any one process of each kind held at any time of the run: ((kind, MiB), ...),
    # largest first. What one Pagefind run or one handout process needs, wherever the peak is.
    largest_single: tuple = ()


# A fork of the build that has loaded Pango has imported WeasyPrint: a handout process.
_HANDOUT_LIBRARY = "libpango-1.0"
_handout_processes = set()  # pids seen with it (a process never unloads it)


def _is_handout_process(member):
    if member.pid in _handout_processes:
        return True
    try:
        with open(f"/proc/{member.pid}/maps", encoding="utf-8", errors="replace") as maps:
            loaded = _HANDOUT_LIBRARY in maps.read()
    except OSError:
        return False
    if loaded:
        _handout_processes.add(member.pid)
    return loaded


def process_kind(member, main):
    """What a process of the build's tree is: the build itself, a fork of it (a handout process
    or another worker), or another command (Pagefind)."""
    if member.pid == main.pid:
        return "build"
    command = member.cmdline()
    if command == main.cmdline():
        return "handout process" if _is_handout_process(member) else "forked workers"
    name = " ".join(command[:3]) if command else member.name()
    return "pagefind" if "pagefind" in name else member.name()


def tree_memory(process):
    """(summed PSS of the process tree, the main process's RSS, {kind: [count, PSS, largest PSS of one]})
    in bytes, now."""
    try:
        members = [process, *process.children(recursive=True)]
        main_rss = process.memory_info().rss
    except psutil.Error:  # the build ended between two looks
        return 0, 0, {}
    pss, kinds = 0, {}
    for member in members:
        try:
            member_pss = member.memory_full_info().pss
            kind = kinds.setdefault(process_kind(member, process), [0, 0, 0])
        except psutil.Error:  # a worker that ended in the meantime holds no memory any more
            continue
        pss += member_pss
        kind[0] += 1
        kind[1] += member_pss
        kind[2] = max(kind[2], member_pss)
    return pss, main_rss, kinds


def sampled_run(command, cwd=None):
    """Run ``command`` while sampling its process tree's memory every SAMPLE_SECONDS."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr, text=True)
        peaks = {"pss": 0, "rss": 0, "samples": 0, "kinds": {}, "single": {}}
        done = threading.Event()

        def sample():
            while not done.is_set():
                pss, rss, kinds = tree_memory(process)
                if pss > peaks["pss"]:
                    peaks["pss"], peaks["kinds"] = pss, kinds
                for kind, (_count, _pss, largest) in kinds.items():
                    peaks["single"][kind] = max(peaks["single"].get(kind, 0), largest)
                peaks["rss"] = max(peaks["rss"], rss)
                peaks["samples"] += 1
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        done.set()
        sampler.join()
        if returncode != 0:
            stderr.seek(0)
            raise failure(command, returncode, stderr.read())
    at_peak = tuple(
        (kind, count, round(pss / MIB, 1))
        for kind, (count, pss, _largest) in sorted(peaks["kinds"].items(), key=lambda item: -item[1][1])
    )
    # A process sampled as it started or ended can show no memory at all: not a kind that held any.
    largest_single = tuple(
        (kind, round(pss / MIB, 1))
        for kind, pss in sorted(peaks["single"].items(), key=lambda item: -item[1])
        if round(pss / MIB, 1) > 0
    )
    return MemoryPeak(
        round(peaks["pss"] / MIB, 1), round(peaks["rss"] / MIB, 1), peaks["samples"], at_peak, largest_single
    )
