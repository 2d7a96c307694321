#!/usr/bin/env python3
"""Reads a whole TAXII 2.1 collection page by page with taxii2-client, as a consumer would, and
prints one JSON line: objects, pages, seconds, objects/s, and the page latencies (p50, p99, max).
The same script is run against irnet and against medallion (bench/taxii.sh).

  taxii-page.py COLLECTION_URL --user U --password P [--per-request N] [--expect N] [--save FILE]

--expect fails unless exactly N distinct objects arrived; --save writes each page's envelope as a
JSON line (bench/stix_gen.py medallion reads them).
"""

import argparse
import json
import sys
import time

from taxii2client.v21 import Collection, as_pages


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--per-request", type=int, default=1000)
    ap.add_argument("--expect", type=int)
    ap.add_argument("--save")
    a = ap.parse_args()

    collection = Collection(a.url, user=a.user, password=a.password)
    save = open(a.save, "w", encoding="utf-8") if a.save else None
    ids, latencies, sizes = set(), [], []
    started = last = time.perf_counter()
    for envelope in as_pages(collection.get_objects, per_request=a.per_request):
        now = time.perf_counter()
        latencies.append(now - last)
        objects = envelope.get("objects", [])
        sizes.append(len(objects))
        ids.update(o["id"] for o in objects)
        if save:
            save.write(json.dumps({"envelope": envelope}) + "\n")
        last = time.perf_counter()
    elapsed = time.perf_counter() - started
    if save:
        save.close()
    total = sum(sizes)
    latencies.sort()
    result = {
        "objects": total,
        "distinct": len(ids),
        "pages": len(sizes),
        "page_size": max(sizes) if sizes else 0,
        "seconds": round(elapsed, 3),
        "objects_per_s": round(total / elapsed, 1) if elapsed else 0,
        "page_p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "page_p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "page_max_ms": round(latencies[-1] * 1000, 1) if latencies else 0,
    }
    print(json.dumps(result))
    if a.expect is not None and (len(ids) != a.expect or total != a.expect):
        sys.exit(f"expected {a.expect} distinct objects, got {len(ids)} ({total} in all)")


if __name__ == "__main__":
    main()
