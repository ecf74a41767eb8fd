"""What every bench shares: the best time of a few runs, and the peak memory it prints last."""

import gc
import resource
import statistics
import subprocess
import time


def best_of(work, *args, repeat: int = 1, clock=time.perf_counter) -> tuple[float, object]:
    """The best of `repeat` runs (seconds of `clock`: wall time, or time.process_time for the CPU
    time of work done in this process alone, which other processes on the machine move less) and
    the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = clock()
        result = work(*args)
        best = min(best, clock() - start)
    return best, result


def cpu_with_children() -> float:
    """CPU seconds of this process and of the children it has waited for (a forked helper's too)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def median_run(command: list[str], runs: int = 5, **options) -> tuple[float, float]:
    """The median wall and CPU (user + system) seconds of running `command`, a whole process: on a
    busy machine the CPU time is the figure that other processes move least."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **options)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def print_peak_memory() -> None:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MiB in this process, {child:.0f} MiB in its largest child process")
