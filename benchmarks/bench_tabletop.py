"""Benchmark the tabletop service under a real JupyterHub: 30 participants (6 teams of 5) deciding at once.

Each participant is a real hub user with a real hub API token; an asyncio client (httpx) goes through the
hub's proxy, as a browser would. Every participant polls its view once a second (as the page does) and, in
each of ROUNDS rounds, all 30 decide at the same moment. Printed: p50/p95/max latency of the decisions and of
the polls, errors, and whether every acknowledged decision is in the facilitator's export. Goal: decision
p95 < 500 ms, no error, nothing lost. Runs without root (the hub's dummy login); 127.0.0.1 only.

    .venv/bin/python benchmarks/bench_tabletop.py [--rounds N] [--direct]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "src")]

TEAMS = ["eeas", "presidency", "romania", "cautious", "partner", "industry"]
PER_TEAM = 5
OPTION = {
    "eeas": "declare",
    "presidency": "declare",
    "romania": "attribute",
    "cautious": "wait",
    "partner": "share",
    "industry": "share",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


async def run(hub, base: str, rounds: int) -> int:
    import httpx

    users = {f"tt-bench-{team}-{n}": team for team in TEAMS for n in range(PER_TEAM)}
    tokens = {user: hub.user_token(user) for user in users}
    instructor = hub.user_token("tt-bench-inst")
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=100)) as client:
        auth = {"Authorization": f"token {instructor}"}
        sid = (await client.post("api/sessions", json={"exercise": "spring-2022"}, headers=auth)).json()["id"]
        await client.post(f"api/sessions/{sid}/assign", json={"assignments": users}, headers=auth)
        await client.post(f"api/sessions/{sid}/release", json={"inject": "whispergate"}, headers=auth)
        decide_ms: list[float] = []
        poll_ms: list[float] = []
        errors: list[str] = []
        acknowledged: set[str] = set()
        done = asyncio.Event()

        async def poll(user: str) -> None:
            headers = {"Authorization": f"token {tokens[user]}"}
            while not done.is_set():
                start = time.perf_counter()
                response = await client.get(f"api/play/{sid}", headers=headers)
                poll_ms.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    errors.append(f"poll {response.status_code}")
                await asyncio.sleep(1)

        async def decide(user: str, round_: int) -> None:
            body = {"inject": "whispergate", "option": OPTION[users[user]], "rationale": f"{user} round {round_}"}
            start = time.perf_counter()
            response = await client.post(
                f"api/play/{sid}/decide", json=body, headers={"Authorization": f"token {tokens[user]}"}
            )
            decide_ms.append((time.perf_counter() - start) * 1000)
            if response.status_code == 201:
                acknowledged.add(body["rationale"])
            else:
                errors.append(f"decide {response.status_code}: {response.text[:100]}")

        pollers = [asyncio.create_task(poll(u)) for u in users]
        await asyncio.sleep(1.5)
        for round_ in range(rounds):
            await asyncio.gather(*(decide(u, round_) for u in users))  # all 30 at the same moment
            await asyncio.sleep(1)
        done.set()
        await asyncio.gather(*pollers)
        exported = (await client.get(f"api/sessions/{sid}/export.json", headers=auth)).json()
    stored = {d["rationale"] for d in exported["decisions"]}
    lost = acknowledged - stored
    print(f"participants: {len(users)} ({len(TEAMS)} teams of {PER_TEAM}); rounds: {rounds}; via {base}")
    for name, values in (("decide", decide_ms), ("poll", poll_ms)):
        print(
            f"{name:7s} n={len(values):5d}  p50={statistics.median(values):7.1f} ms  "
            f"p95={percentile(values, 0.95):7.1f} ms  max={max(values):7.1f} ms"
        )
    print(f"errors: {len(errors)} {sorted(set(errors))[:5]}")
    print(f"acknowledged: {len(acknowledged)}, in the export: {len(acknowledged & stored)}, lost: {len(lost)}")
    ok = not errors and not lost and percentile(decide_ms, 0.95) < 500
    print("goal (decide p95 < 500 ms, no error, nothing lost):", "met" if ok else "NOT met")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--direct", action="store_true", help="straight to the service, not through the proxy")
    args = parser.parse_args()
    from tabletop_hub import running_hub

    with running_hub(["tt-bench-inst"]) as hub:
        return asyncio.run(run(hub, hub.direct_url if args.direct else hub.service_url, args.rounds))


if __name__ == "__main__":
    sys.exit(main())
