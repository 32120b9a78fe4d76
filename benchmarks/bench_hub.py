"""Benchmark the course on a real JupyterHub (127.0.0.1 only; run as root after `make hub-env`).

1. Time from login to the orientation notebook interactive (every cell run, exercises on screen) for one
   participant: login + server start, and fetch + open + Run All.
2. Memory with 10 participants whose servers have each run the orientation: the hub and proxy, and each
   participant's processes (server + kernel), as resident set size (RSS) and proportional set size (PSS).
   The per-server figure sizes Zero to JupyterHub's memory guarantee and limit (deploy/z2jh/values.yaml).
"""

from __future__ import annotations

import pwd
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "src")]

USERS = 10


def memory_of(uid: int) -> tuple[float, float, int]:
    """RSS and PSS in MiB of every process of ``uid``, and how many there are."""
    import psutil

    rss = pss = 0.0
    count = 0
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"] and proc.info["uids"].real == uid:
                full = proc.memory_full_info()
                rss += full.rss
                pss += full.pss
                count += 1
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return rss / 2**20, pss / 2**20, count


def tree_memory(pid: int) -> float:
    """RSS in MiB of the hub process and its children that run as root (the proxy), not users' servers."""
    import psutil

    hub = psutil.Process(pid)
    procs = [hub, *(c for c in hub.children(recursive=True) if c.uids().real == 0)]
    return sum(p.memory_info().rss for p in procs) / 2**20


def main() -> int:
    from browser import CHROMIUM, CHROMIUM_ARGS, run_all_cells, wait_idle
    from playwright.sync_api import sync_playwright
    from test_hub import TOPIC, benchmark_stop, login, open_assignment_list, running_hub

    stop = benchmark_stop("bench_hub")
    if stop is not None:
        return stop
    users = [f"ckbench{n:02d}" for n in range(USERS)]
    with running_hub("ckbench-inst", users) as hub, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        idle_hub = tree_memory(hub["pid"])
        timings = []
        for user in users:
            start = time.monotonic()
            page = login(browser, hub, user)
            logged_in = time.monotonic() - start
            open_assignment_list(page)
            page.get_by_role("button", name="Fetch", exact=True).click()
            page.locator("#fetched_assignments_list .assignment-notebooks-link").first.wait_for(timeout=60_000)
            page.goto(f"{hub['url']}/user/{user}/lab/tree/{TOPIC}/{TOPIC}.ipynb")
            page.wait_for_selector(".jp-Notebook", timeout=90_000)
            wait_idle(page)
            run_all_cells(page)
            wait_idle(page)
            timings.append((logged_in, time.monotonic() - start))
            page.context.close()  # the server and kernel keep running, as when a participant closes the tab
        per_user = [memory_of(pwd.getpwnam(u).pw_uid) for u in users]
        hub_mem = tree_memory(hub["pid"])
        browser.close()
    first_login, first_total = timings[0]
    totals = sorted(t for _, t in timings)
    print(
        f"login to orientation interactive, first participant: {first_total:.1f} s "
        f"(login and server start {first_login:.1f} s); median of {USERS}: {totals[USERS // 2]:.1f} s, "
        f"slowest {totals[-1]:.1f} s (one at a time)"
    )
    rss = sorted(m[0] for m in per_user)
    pss = sorted(m[1] for m in per_user)
    print(
        f"per participant (server + kernel, {per_user[0][2]} processes): RSS median {rss[USERS // 2]:.0f} MiB, "
        f"max {rss[-1]:.0f} MiB; PSS median {pss[USERS // 2]:.0f} MiB, max {pss[-1]:.0f} MiB"
    )
    print(
        f"hub + proxy: {idle_hub:.0f} MiB idle, {hub_mem:.0f} MiB with {USERS} servers; "
        f"all {USERS} participants: RSS {sum(rss):.0f} MiB, PSS {sum(pss):.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
