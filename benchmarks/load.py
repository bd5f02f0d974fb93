"""A small bounded load generator: GET one URL from several threads for a fixed time.

    python benchmarks/load.py http://127.0.0.1:8000/reports/p/2025/ [--seconds 10] [--threads 8]

Prints one JSON object: requests, errors (non-200 answers and failed connections),
seconds, requests_per_second, p50_ms, p99_ms, threads. A new connection per request, as
gunicorn's sync workers close each one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse


def worker(url: urllib.parse.SplitResult, stop_at: float, latencies: list, errors: list) -> None:
    path = url.path + (f"?{url.query}" if url.query else "")
    while time.monotonic() < stop_at:
        start = time.perf_counter()
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append(time.perf_counter() - start)
            else:
                errors.append(response.status)
        except OSError as exc:
            errors.append(type(exc).__name__)
        finally:
            connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    url = urllib.parse.urlsplit(args.url)
    latencies: list[float] = []
    errors: list = []
    start = time.monotonic()
    threads = [
        threading.Thread(target=worker, args=(url, start + args.seconds, latencies, errors))
        for _ in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    ordered = sorted(latencies) or [0.0]
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": len(errors),
                "seconds": elapsed,
                "requests_per_second": len(latencies) / elapsed,
                "p50_ms": statistics.median(ordered) * 1000,
                "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
                "threads": args.threads,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
