"""One cold start, in this fresh process: import, then create_app on a content directory.

Prints one JSON object: seconds to import, seconds in create_app (load, validate, render,
precompute), peak RSS of this process in MiB (the caller samples the whole process tree,
a loader pool included); then, in the same process, the time the app takes
to answer article-list pages that no cache holds (each URL asked once), in microseconds.

    python bench/coldstart.py CONTENT_DIR
"""

from __future__ import annotations

import time

START = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

UNCACHED_PAGES = 300


async def _get(app: Any, path: str, query: str) -> tuple[int, bytes]:
    """One GET through the whole ASGI app (middleware, routing, handler), no network."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1), "headers": [(b"host", b"127.0.0.1")]}
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")
    await app(scope, receive, send)
    return answer["status"], answer["body"]


async def uncached_pages(app: Any) -> dict[str, float]:
    """/v1/articles?topic=sleep&limit=10 after each article of the list in turn: every URL
    is asked once, so no cache holds it and each answer is built as a first visitor's is."""
    from smartmed.catalog.catalog import encode_cursor

    slugs: list[str] = []
    query = "topic=sleep&limit=50"
    while True:
        status, body = await _get(app, "/v1/articles", query)
        doc = json.loads(body)
        slugs += [a["slug"] for a in doc["articles"]]
        if status != 200 or not doc.get("next_cursor"):
            break
        query = f"topic=sleep&limit=50&cursor={doc['next_cursor']}"
    # Only full pages (ten articles follow the cursor), spread over the whole list.
    starts = slugs[: max(0, len(slugs) - 10)]
    step = max(1, len(starts) // UNCACHED_PAGES)
    queries = [f"topic=sleep&limit=10&cursor={encode_cursor(s)}" for s in starts[::step]]
    times = []
    for q in queries[:UNCACHED_PAGES]:
        start = time.perf_counter()
        status, _ = await _get(app, "/v1/articles", q)
        times.append((time.perf_counter() - start) * 1e6)
        assert status == 200, (q, status)
    times.sort()
    return {"uncached_page_us_p50": statistics.median(times) if times else 0.0,
            "uncached_page_us_p99": times[max(0, int(len(times) * 0.99) - 1)] if times else 0.0,
            "uncached_pages": len(times)}


def main() -> None:
    from smartmed.app import create_app
    from smartmed.settings import Settings

    imported = time.perf_counter()
    # No access log: this process's standard output is the result.
    app = create_app(Settings(content_dir=Path(sys.argv[1]), access_log=False))
    created = time.perf_counter()
    library = app.state.service.library
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = asyncio.run(uncached_pages(app))
    print(json.dumps({
        "import_s": imported - START,
        "create_s": created - imported,
        "total_s": created - START,
        "articles": len(library.articles),
        "tips": len(library.tips),
        # ru_maxrss is in KiB on Linux.
        "rss_mib": rss,
        **pages,
    }))


if __name__ == "__main__":  # the loader's process pool may re-import this module
    main()
