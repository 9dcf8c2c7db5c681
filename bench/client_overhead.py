"""Client overhead: the same N order creations against the local sandbox through

  (a) the SevenSendersClient (validation, token cache, keep-alive, retries armed),
  (b) a raw requests.Session posting the same JSON with one token,
  (c) a new connection and a fresh token for every call (as some shop plugins do),
  (b') as (b) with trust_env off: the bare transport, to show the client's own
       cost (the client reads proxy/CA settings from the environment once, where a
       default requests.Session re-reads the whole environment on every call).

Prints requests/s for each, the ratios, and the calling process's CPU time per
call (the sandbox runs in its own process, so its cost is not counted).

    PYTHONPATH=delivery_sevensenders:. python bench/client_overhead.py [--n 2000]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "delivery_sevensenders"), str(ROOT)]

from _sandbox import start_sandbox  # noqa: E402  (bench/ is the script's folder)

from sevensenders import SevenSendersClient  # noqa: E402
from sevensenders_sandbox import DEFAULT_ACCESS_KEY  # noqa: E402


def payloads(prefix, n):
    return [
        {
            "order_id": f"{prefix}-{i:06d}",
            "order_url": "https://shop.example.com",
            "order_date": "2026-11-23T09:30:00+00:00",
            "language": ["de"],
            "order_tags": {"channel": "web"},
            "promised_delivery_date": "2026-11-26T09:30:00+00:00",
        }
        for i in range(n)
    ]


def run_client(base_url, orders):
    with SevenSendersClient(DEFAULT_ACCESS_KEY, base_url=base_url) as client:
        client.authenticate()
        start, cpu = time.perf_counter(), time.process_time()
        for order in orders:
            client.create_order(order)
        return time.perf_counter() - start, time.process_time() - cpu


def run_raw(base_url, orders, trust_env=True):
    with requests.Session() as session:
        session.trust_env = trust_env
        token = session.post(
            base_url + "/token", json={"access_key": DEFAULT_ACCESS_KEY}, timeout=10
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        start, cpu = time.perf_counter(), time.process_time()
        for order in orders:
            response = session.post(
                base_url + "/orders", json=order, headers=headers, timeout=10
            )
            response.raise_for_status()
            response.json()
        return time.perf_counter() - start, time.process_time() - cpu


def run_raw_no_env(base_url, orders):
    return run_raw(base_url, orders, trust_env=False)


def run_naive(base_url, orders):
    start, cpu = time.perf_counter(), time.process_time()
    for order in orders:
        with requests.Session() as session:  # a new connection every call
            token = session.post(
                base_url + "/token", json={"access_key": DEFAULT_ACCESS_KEY}, timeout=10
            ).json()["token"]
            response = session.post(
                base_url + "/orders",
                json=order,
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            response.raise_for_status()
            response.json()
    return time.perf_counter() - start, time.process_time() - cpu


VARIANTS = {
    "a client": run_client,
    "b raw session": run_raw,
    "c new conn+token": run_naive,
    "b' raw, env once": run_raw_no_env,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="order creations per run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs per variant (best kept)"
    )
    args = parser.parse_args()
    proc, url = start_sandbox()
    base_url = url + "/v2"
    results = {name: [] for name in VARIANTS}
    try:
        run_client(base_url, payloads("warmup", 200))
        for rnd in range(args.rounds):
            for name, runner in VARIANTS.items():
                requests.post(url + "/_sandbox/reset", timeout=10)
                orders = payloads(f"r{rnd}{name[0]}", args.n)
                wall, cpu = runner(base_url, orders)
                results[name].append((wall, cpu))
        stats = requests.get(url + "/_sandbox/stats", timeout=10).json()
    finally:
        proc.terminate()
        proc.wait(10)

    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"requests {requests.__version__}"
    )
    print(
        f"N = {args.n} order creations per run, best of {args.rounds} runs, sandbox "
        "in its own process on 127.0.0.1\n"
    )
    print(f"{'variant':<20}{'req/s':>10}{'CPU us/call':>14}{'wall ms/call':>14}")
    best = {}
    for name, runs in results.items():
        wall = min(w for w, _c in runs)
        cpu = statistics.median(c for _w, c in runs)
        best[name] = (args.n / wall, cpu / args.n * 1e6)
        print(
            f"{name:<20}{best[name][0]:>10.0f}{best[name][1]:>14.0f}{wall / args.n * 1e3:>14.2f}"
        )
    a, b, c, b2 = (best[n] for n in VARIANTS)
    print()
    print(f"throughput a/b = {a[0] / b[0]:.3f}   (target >= 0.90)")
    print(f"throughput a/c = {a[0] / c[0]:.2f}    (target >= 1.8)")
    print(f"client CPU over raw session = {a[1] - b[1]:.0f} us/call (target <= 150)")
    print(
        f"client CPU over a raw session that also reads the environment once "
        f"(b') = {a[1] - b2[1]:.0f} us/call: validation, encoding, parsing"
    )
    print(f"sandbox objects after the last run: {stats['objects']}")


if __name__ == "__main__":
    main()
