"""Nine o'clock on day one: 30 participants log in to the course's JupyterHub at the same moment.

Run as root after `make hub-env` (it creates Unix accounts; 127.0.0.1 only). The hub is the course's own
(``coursekit.hub.setup`` and deploy/jupyterhub_config.py, as tests/test_hub.py starts it). At one instant every
participant, in a thread of their own, does over HTTP what their browser would do:

1. login: the hub's login form (PAM);
2. server: follows the hub to its spawn page, waits on the spawn progress stream, then opens JupyterLab: its
   page and every GET Chromium made while JupyterLab loaded (scripts, styles, fonts, settings, translations,
   the API calls), six at a time as a browser does;
3. fetch: the Assignment List's fetch of the orientation (nbgrader's server extension);
4. kernel: opens the notebook (with every GET Chromium made while it opened it: the notebook, the widget
   manager's scripts) and starts its kernel (a session, as JupyterLab does), until kernel_info answers;
5. run: Run All, every code cell sent at once over the kernel's websocket, until the last cell's reply and the
   kernel idle again. From then the participant can answer.

What Chromium asks for is recorded before the run, by a real Chromium on one more account (``cknine-probe``,
whose server is stopped again before nine o'clock): so the hub serves, per participant, what a first visit's
browser really fetches. Drawing the page is the browser's own work, on each participant's computer, and is not
part of it.

Reported: time from the common start until the last participant can answer, median and p90, the same per
phase, peak memory of the machine (MemTotal - MemAvailable, sampled every 0.25 s), the load, what the browser
fetches per participant, and every failure with its reason. Accounts, servers and kernels are removed
afterwards, whatever happens (tests/test_hub.py's ``running_hub``).

    .venv/bin/python benchmarks/bench_hub_nine.py [--users 30] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import signal
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "src")]

TOPIC = "00-orientation"
GOAL_S = 60.0  # issue 29: all 30 interactive within a minute
USER_DEADLINE_S = 300.0  # a participant not interactive by then counts as failed
CLIENTS = "benchmark's clients"
PHASES = ("login", "server", "fetch", "kernel", "run")
PROBE = "cknine-probe"
BROWSER_CONNECTIONS = 6  # Chromium's parallel connections to one host
# requests the replay leaves out: the kernel's channels and ids of the probe's own kernel or session
ONE_OFF = re.compile(r"/channels|oauth_callback|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class BrowserGets:
    """What Chromium fetched from its server on a first visit, as paths under /user/NAME/."""

    lab: list[str]
    notebook: list[str]
    lab_bytes: int
    notebook_bytes: int


@dataclass
class Participant:
    """One participant's run: when each phase ended (seconds from the common start), or why it failed."""

    name: str
    password: str
    ends: dict[str, float] = field(default_factory=dict)
    failure: str | None = None
    cells: int = 0
    resets: list[str] = field(default_factory=list)  # GETs retried after the connection was dropped

    def phase_times(self) -> dict[str, float]:
        times, last = {}, 0.0
        for phase in PHASES:
            if phase in self.ends:
                times[phase] = self.ends[phase] - last
                last = self.ends[phase]
        return times


class MemorySampler(threading.Thread):
    """The machine's memory in use (MemTotal - MemAvailable, MiB) and the 1-minute load, sampled until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.samples: list[float] = []
        self.loads: list[float] = []

    @staticmethod
    def used_mib() -> float:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        return (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) / 1024

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(self.used_mib())
            self.loads.append(os.getloadavg()[0])
            self.stop.wait(0.25)


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores; /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    """CPU seconds this process (the 30 participants' clients) has used."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_by_part(hub_pid: int, names: list[str]) -> dict[str, float]:
    """CPU seconds used so far by the hub, its proxy, the participants' servers and their kernels."""
    import psutil

    uids = {pwd.getpwnam(n).pw_uid for n in names}
    parts = dict.fromkeys(("hub", "proxy", "servers", "kernels", "other participant processes"), 0.0)
    for proc in psutil.process_iter(["pid", "uids", "cmdline", "cpu_times"]):
        info = proc.info
        if not info["cpu_times"] or not info["uids"]:
            continue
        times = info["cpu_times"]
        # with what its finished children used (JupyterLab runs Node.js once as it starts): reaped children
        # only, so a live kernel is never counted twice
        used = times.user + times.system + times.children_user + times.children_system
        command = " ".join(info["cmdline"] or [])
        if info["pid"] == hub_pid:
            parts["hub"] += used
        elif "configurable-http-proxy" in command:
            parts["proxy"] += used
        elif info["uids"].real in uids:
            key = "kernels" if "ipykernel" in command else "servers" if "singleuser" in command else None
            parts[key or "other participant processes"] += used
    return parts


def server_cookie(session, user: str, name: str) -> str:
    """The value of the single-user server's cookie ``name`` (the hub sets its own under /hub/)."""
    for cookie in session.cookies:
        if cookie.name == name and cookie.path.startswith(f"/user/{user}"):
            return cookie.value
    raise RuntimeError(f"no {name} cookie from {user}'s server")


def wait_for_spawn(session, hub_url: str, page) -> None:
    """Follow the spawn page's progress stream (what its EventSource reads) until the server is ready."""
    match = re.search(r'new EventSource\("([^"]+)"\)', page.text)
    if not match:
        raise RuntimeError(f"spawn page without progress stream ({page.url})")
    with session.get(hub_url + match.group(1).replace("&amp;", "&"), stream=True, timeout=USER_DEADLINE_S) as stream:
        stream.raise_for_status()
        for line in stream.iter_lines(decode_unicode=True):
            if not line or not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event.get("ready"):
                return
            if event.get("failed"):
                raise RuntimeError(f"spawn failed: {event.get('message', '')[:200]}")
    raise RuntimeError("spawn progress stream ended without the server ready")


def run_cells(ws_url: str, cookies: str, cells: list[str]) -> None:
    """Run All: send every code cell at once on the kernel's channels, wait for the last reply and idle."""
    import websocket

    ws = websocket.create_connection(ws_url, header=[f"Cookie: {cookies}"], timeout=USER_DEADLINE_S)
    try:
        session = uuid.uuid4().hex

        def request(msg_type: str, content: dict) -> str:
            msg_id = uuid.uuid4().hex
            header = {
                "msg_id": msg_id,
                "msg_type": msg_type,
                "username": "",
                "session": session,
                "date": "",
                "version": "5.3",
            }
            ws.send(
                json.dumps(
                    {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
                )
            )
            return msg_id

        ids = [
            request(
                "execute_request",
                {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
            for code in cells
        ]
        pending, idle_after_last = set(ids), False
        while pending or not idle_after_last:
            msg = json.loads(ws.recv())
            parent = msg.get("parent_header", {}).get("msg_id")
            kind = msg["header"]["msg_type"]
            if kind == "execute_reply" and parent in pending:
                pending.discard(parent)
                if msg["content"]["status"] != "ok":
                    content = msg["content"]
                    raise RuntimeError(f"cell {ids.index(parent) + 1}: {content.get('ename')} {content.get('evalue')}")
            elif kind == "status" and parent == ids[-1] and msg["content"]["execution_state"] == "idle":
                idle_after_last = True
    finally:
        ws.close()


def kernel_ready(ws_url: str, cookies: str) -> None:
    """Wait until the kernel answers kernel_info (JupyterLab's first message to a new kernel)."""
    import websocket

    ws = websocket.create_connection(ws_url, header=[f"Cookie: {cookies}"], timeout=USER_DEADLINE_S)
    try:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "", "session": msg_id}
        ws.send(
            json.dumps(
                {
                    "header": {**header, "date": "", "version": "5.3"},
                    "parent_header": {},
                    "metadata": {},
                    "content": {},
                    "channel": "shell",
                }
            )
        )
        while True:
            msg = json.loads(ws.recv())
            if msg["header"]["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") == msg_id:
                return
    finally:
        ws.close()


class StartSignal:
    """Nine o'clock: every participant's thread waits here, and all times count from the moment it fires."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.at = 0.0

    def fire(self) -> None:
        self.at = time.monotonic()
        self.event.set()


def record_browser_gets(hub: dict) -> BrowserGets:
    """Chromium's GETs on the probe account: JupyterLab loading, then the orientation opened and run."""
    from browser import CHROMIUM, CHROMIUM_ARGS, run_all_cells, wait_idle
    from playwright.sync_api import sync_playwright
    from test_hub import open_assignment_list, start_login, wait_for_lab

    prefix = f"{hub['url']}/user/{PROBE}/"
    seen: dict[str, list[tuple[str, int]]] = {"lab": [], "notebook": []}
    stage = ["lab"]

    def finished(response) -> None:
        url, request = response.url, response.request
        # what was served (not the log-in's redirects and one-time OAuth callback, which the round does itself)
        if request.method == "GET" and response.status == 200 and url.startswith(prefix) and not ONE_OFF.search(url):
            try:
                size = len(response.body())
            except Exception:  # a stream (the events endpoint): no body to count
                size = 0
            seen[stage[0]].append((url[len(prefix) :], size))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = start_login(browser, hub, PROBE)
            page.on("response", finished)
            wait_for_lab(page)
            page.wait_for_load_state("networkidle")
            stage[0] = "fetch"
            seen["fetch"] = []
            open_assignment_list(page)
            page.get_by_role("button", name="Fetch", exact=True).click()
            page.locator("#fetched_assignments_list .assignment-notebooks-link").first.wait_for(timeout=60_000)
            stage[0] = "notebook"
            # opened from the file browser, as a participant does (no page reload)
            page.locator(".jp-DirListing-item", has_text=TOPIC).first.dblclick(timeout=60_000)
            page.locator(".jp-DirListing-item", has_text=f"{TOPIC}.ipynb").first.dblclick(timeout=60_000)
            page.wait_for_selector(".jp-Notebook", timeout=90_000)
            wait_idle(page)
            run_all_cells(page)
            wait_idle(page)
            page.wait_for_load_state("networkidle")
            page.goto(f"{hub['url']}/hub/home")  # the probe's server stops before nine o'clock
            page.locator("#stop").click()
            page.locator("#start").wait_for(timeout=60_000)
        finally:
            browser.close()

    def unique(entries: list[tuple[str, int]]) -> tuple[list[str], int]:
        sizes = dict(entries)  # a first visit fetches each address once; the browser caches the repeats
        return list(sizes), sum(sizes.values())

    lab, lab_bytes = unique(seen["lab"])
    own = f"api/contents/{TOPIC}/{TOPIC}.ipynb"  # the round opens the notebook itself, as the session needs it
    notebook, notebook_bytes = unique(
        [e for e in seen["notebook"] if e[0] not in set(lab) and not e[0].startswith(own)]
    )
    return BrowserGets(lab, notebook, lab_bytes, notebook_bytes)


def fetch_like_a_browser(session, user_url: str, paths: list[str]) -> None:
    """GET ``paths`` under the participant's server, six at a time; the bodies are read, not decoded."""
    from concurrent.futures import ThreadPoolExecutor

    def get(path: str) -> None:
        with session.get(f"{user_url}/{path}", stream=True, timeout=USER_DEADLINE_S) as answer:
            if answer.status_code >= 400:
                raise RuntimeError(f"{path}: {answer.status_code}")
            while answer.raw.read(1 << 16, decode_content=False):
                pass

    with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
        list(pool.map(get, paths))


def browser_session(p: Participant):
    """An HTTP session that, like a browser, sends a GET again once when its connection was dropped.

    Browsers keep connections open between requests and retry an idempotent request whose reused connection
    the server had just closed; a participant sees nothing of it. Each retry is recorded and reported.
    """
    import requests
    from requests.adapters import HTTPAdapter

    class RetryDropped(HTTPAdapter):
        def send(self, request, *args, **kwargs):
            try:
                return super().send(request, *args, **kwargs)
            except requests.ConnectionError as err:
                if request.method != "GET":
                    raise
                p.resets.append(f"{request.path_url[:80]}: {str(err)[:120]}")
                return super().send(request, *args, **kwargs)

    session = requests.Session()
    adapter = RetryDropped(pool_maxsize=BROWSER_CONNECTIONS)
    session.mount("http://", adapter)
    return session


def participant_round(
    p: Participant, hub_url: str, course_id: str, nine: StartSignal, gets: BrowserGets | None = None
) -> None:
    """Everything one participant does, from the login form to a kernel idle after Run All."""
    session = browser_session(p)
    nine.event.wait()

    def done(phase: str) -> None:
        p.ends[phase] = time.monotonic() - nine.at

    try:
        form = session.get(f"{hub_url}/hub/login", timeout=USER_DEADLINE_S)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        answer = session.post(
            f"{hub_url}/hub/login",
            data={"username": p.name, "password": p.password, **({"_xsrf": xsrf.group(1)} if xsrf else {})},
            allow_redirects=False,
            timeout=USER_DEADLINE_S,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login answered {answer.status_code}")
        done("login")

        user_url = f"{hub_url}/user/{p.name}"
        page = session.get(f"{hub_url}/hub/spawn", timeout=USER_DEADLINE_S)  # the hub starts the server
        if "/spawn-pending/" in page.url:
            wait_for_spawn(session, hub_url, page)
            page = session.get(f"{user_url}/lab", timeout=USER_DEADLINE_S)
        if page.status_code != 200 or f"/user/{p.name}/lab" not in page.url:
            raise RuntimeError(f"JupyterLab page: {page.status_code} at {page.url}")
        if gets is None:
            for api in ("lab/api/settings", "api/kernelspecs", "api/contents?content=1", "api/sessions"):
                session.get(f"{user_url}/{api}", timeout=USER_DEADLINE_S).raise_for_status()
        else:
            fetch_like_a_browser(session, user_url, gets.lab)
        done("server")

        headers = {"X-XSRFToken": server_cookie(session, p.name, "_xsrf")}
        session.get(f"{user_url}/assignments", params={"course_id": course_id}, timeout=USER_DEADLINE_S)
        fetched = session.post(
            f"{user_url}/assignments/fetch",
            data={"course_id": course_id, "assignment_id": TOPIC},
            headers=headers,
            timeout=USER_DEADLINE_S,
        ).json()
        if not fetched.get("success"):
            raise RuntimeError(f"fetch: {str(fetched.get('value', fetched))[-200:]}")
        done("fetch")

        if gets is not None:
            fetch_like_a_browser(session, user_url, gets.notebook)
        path = f"{TOPIC}/{TOPIC}.ipynb"
        notebook = session.get(f"{user_url}/api/contents/{path}", params={"content": 1}, timeout=USER_DEADLINE_S)
        notebook.raise_for_status()
        cells = ["".join(c["source"]) for c in notebook.json()["content"]["cells"] if c["cell_type"] == "code"]
        p.cells = len(cells)
        created = session.post(
            f"{user_url}/api/sessions",
            json={"path": path, "name": f"{TOPIC}.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
            headers=headers,
            timeout=USER_DEADLINE_S,
        )
        created.raise_for_status()
        kernel = created.json()["kernel"]["id"]
        ws_url = f"{user_url.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies if c.path.startswith(f"/user/{p.name}"))
        kernel_ready(ws_url, cookies)
        done("kernel")

        run_cells(ws_url, cookies, cells)
        done("run")
    except Exception as err:  # every failure is a result: counted and reported with its reason
        p.failure = f"{type(err).__name__}: {str(err)[:300]}"
    finally:
        session.close()


def summary(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered)) - 1))]
    return f"median {statistics.median(ordered):5.1f} s, p90 {p90:5.1f} s, max {ordered[-1]:5.1f} s"


def interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--api-only",
        action="store_true",
        help="no recorded browser GETs: only JupyterLab's page and four API calls (the first version's round)",
    )
    args = parser.parse_args()
    from test_hub import benchmark_stop, running_hub

    from coursekit.core.settings import settings

    stop = benchmark_stop("bench_hub_nine")
    if stop is not None:
        return stop
    # a SIGTERM (a CI timeout, kill) unwinds through running_hub's clean-up like Ctrl-C does
    signal.signal(signal.SIGTERM, interrupted)
    names = [f"cknine{n:02d}" for n in range(args.users)]
    course_id = settings().course_id
    with running_hub("cknine-inst", [*names, PROBE]) as hub:
        gets = None if args.api_only else record_browser_gets(hub)
        participants = [Participant(n, hub["passwords"][n]) for n in names]
        sampler = MemorySampler()
        idle_mib = sampler.used_mib()
        nine = StartSignal()
        threads = [
            threading.Thread(target=participant_round, args=(p, hub["url"], course_id, nine, gets), daemon=True)
            for p in participants
        ]
        for thread in threads:
            thread.start()
        sampler.start()
        busy_before, own_before = machine_busy_s(), own_cpu_s()
        # the hub and proxy ran before nine (set-up, the probe's visit): only what they use from now counts
        parts_before = cpu_by_part(hub["pid"], names)
        nine.fire()
        for thread in threads:
            thread.join(max(1.0, USER_DEADLINE_S - (time.monotonic() - nine.at)))
        for p, thread in zip(participants, threads):
            if thread.is_alive() and p.failure is None:
                p.failure = f"not interactive after {USER_DEADLINE_S:.0f} s (last phase done: {list(p.ends)[-1:]})"
        ended = time.monotonic() - nine.at
        busy = machine_busy_s() - busy_before
        parts = cpu_by_part(hub["pid"], names)
        cpu = {**{k: v - parts_before[k] for k, v in parts.items()}, CLIENTS: own_cpu_s() - own_before}
        time.sleep(1)  # all servers and kernels up: one more sample with everything running
        sampler.stop.set()
        sampler.join()
    return report(participants, idle_mib, sampler, {"wall": ended, "machine": busy, **cpu}, gets, args)


def report(
    participants: list[Participant],
    idle_mib: float,
    sampler: MemorySampler,
    cpu: dict,
    gets: BrowserGets | None,
    args,
) -> int:
    ok = [p for p in participants if p.failure is None]
    failed = [p for p in participants if p.failure is not None]
    totals = [p.ends["run"] for p in ok]
    last = max(totals) if totals and not failed else float("nan")
    peak = max(sampler.samples)
    print(f"{len(participants)} participants at once, {os.cpu_count()} cores")
    if gets is None:
        print("each fetches JupyterLab's page and four API calls (--api-only: no browser GETs)")
    else:
        print(
            f"each fetches what Chromium fetched: {len(gets.lab)} GETs ({gets.lab_bytes / 2**20:.1f} MiB) as "
            f"JupyterLab loads, {len(gets.notebook)} ({gets.notebook_bytes / 2**20:.1f} MiB) as the notebook opens"
        )
    print(f"last participant interactive: {last:.1f} s (goal {GOAL_S:.0f} s); all interactive: {summary(totals)}")
    for phase in PHASES:
        print(f"  {phase:6}: {summary([p.phase_times()[phase] for p in participants if phase in p.phase_times()])}")
    print(
        f"memory in use: {idle_mib:.0f} MiB before, peak {peak:.0f} MiB (+{peak - idle_mib:.0f} MiB); "
        f"load average peak {max(sampler.loads):.1f}"
    )
    hub_parts = ("hub", "proxy", "servers", "kernels", "other participant processes")
    ours = sum(cpu[k] for k in hub_parts)
    others = cpu["machine"] - ours - cpu[CLIENTS]
    others = others if abs(others) >= 0.5 else 0.0  # the two clocks differ by a tick or two
    print(
        f"CPU: the run took {cpu['wall']:.0f} s, in which the machine was busy {cpu['machine']:.0f} CPU-s of "
        f"{cpu['wall'] * (os.cpu_count() or 1):.0f}; this hub's processes used {ours:.0f} CPU-s "
        f"({ours / len(participants):.2f} per participant), the benchmark's clients "
        f"{cpu[CLIENTS]:.0f}, everything else on the machine {others:.0f}"
    )
    print("  " + ", ".join(f"{k} {v:.0f} CPU-s" for k, v in cpu.items() if k not in ("wall", "machine")))
    resets = [r for p in participants for r in p.resets]
    print(f"GETs sent again after a dropped connection (as a browser does): {len(resets)}")
    for reset in resets[:5]:
        print(f"  {reset}")
    print(f"failures: {len(failed)}")
    for p in failed:
        print(f"  {p.name}: {p.failure}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "users": len(participants),
                    "browser_gets": None if gets is None else {"lab": gets.lab, "notebook": gets.notebook},
                    "last_interactive_s": last,
                    "totals_s": totals,
                    "phases": {p.name: p.phase_times() for p in participants},
                    "idle_mib": idle_mib,
                    "peak_mib": peak,
                    "peak_load": max(sampler.loads),
                    "cpu_s": cpu,
                    "failures": {p.name: p.failure for p in failed},
                    "resets": resets,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if not failed and last <= GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
