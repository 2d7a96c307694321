#!/usr/bin/env python3
"""Synthetic threat-intelligence data for bench/taxii.sh, deterministic in its arguments.

  stix_gen.py bundle N FILE        a STIX 2.1 bundle of N indicators (TLP:GREEN, one identity),
                                   written as a stream: a million indicators never sit in memory
  stix_gen.py lookup N M FILE      M lookup values as JSON [{"value": ...}]: half the values of
                                   indicators 0..N-1 (spread over the range), half values that no
                                   indicator holds; kinds mixed as in the bundle
  stix_gen.py medallion IN OUT     medallion 3.0.0's memory-backend data file: one API root
                                   ("api") with one collection holding the objects of the
                                   envelope pages IN (JSON lines, as bench/taxii-page.py --save
                                   writes them), each with its manifest entry

Indicator i has one observable of kind i % 6 (IPv4, domain, URL, SHA-256, MD5, email), built
from i alone, so that the lookup values can be derived without reading the bundle.
"""

import hashlib
import json
import sys
import uuid

NAMESPACE = uuid.UUID("5f0a3a4e-6a55-4c8e-9a51-3e0c2b3f7d10")
IDENTITY = "identity--" + str(uuid.uuid5(NAMESPACE, "bench-producer"))
TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
STAMP = "2026-11-01T00:00:00.000Z"


def value(i):
    """(STIX pattern comparison, observable value) of indicator i; i < 0 never collides."""
    kind = i % 6
    tag = "n" if i < 0 else ""
    i = abs(i)
    if kind == 0:
        # 10.0.0.0/8 holds 16M addresses: room for every i here; misses go to 172.16/12.
        base = (172 << 24) | (16 << 16) if tag else 10 << 24
        a = base + i
        ip = ".".join(str((a >> s) & 255) for s in (24, 16, 8, 0))
        return f"ipv4-addr:value = '{ip}'", ip
    if kind == 1:
        d = f"c2-{tag}{i}.bench-malware.example"
        return f"domain-name:value = '{d}'", d
    if kind == 2:
        u = f"http://phish-{tag}{i}.bench.example/login/{i % 97}"
        return f"url:value = '{u}'", u
    digest = hashlib.sha256(f"{tag}{i}".encode()).hexdigest()
    if kind == 3:
        return f"file:hashes.'SHA-256' = '{digest}'", digest
    if kind == 4:
        return f"file:hashes.MD5 = '{digest[:32]}'", digest[:32]
    e = f"sender-{tag}{i}@bench-spam.example"
    return f"email-addr:value = '{e}'", e


def indicator(i):
    comparison, v = value(i)
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--" + str(uuid.uuid5(NAMESPACE, f"indicator:{i}")),
        "created_by_ref": IDENTITY,
        "created": STAMP,
        "modified": STAMP,
        "name": f"Bench indicator {i}",
        "description": f"Synthetic indicator {i} ({v})",
        "indicator_types": ["malicious-activity"],
        "pattern": f"[{comparison}]",
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": STAMP,
        "confidence": 50 + i % 50,
        "object_marking_refs": [TLP_GREEN],
    }


def bundle(n, path):
    head = [
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": IDENTITY,
            "created": STAMP,
            "modified": STAMP,
            "name": "Bench producer",
            "identity_class": "organization",
        },
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": TLP_GREEN,
            "created": "2022-10-01T00:00:00.000Z",
            "name": "TLP:GREEN",
            "extensions": {
                "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                    "extension_type": "property-extension",
                    "tlp_2_0": "green",
                }
            },
        },
    ]
    bundle_id = "bundle--" + str(uuid.uuid5(NAMESPACE, f"bundle:{n}"))
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'{{"type":"bundle","id":"{bundle_id}","objects":[\n')
        for o in head:
            out.write(json.dumps(o, separators=(",", ":")) + ",\n")
        for i in range(n):
            out.write(json.dumps(indicator(i), separators=(",", ":")))
            out.write(",\n" if i + 1 < n else "\n")
        out.write("]}\n")


def lookup(n, m, path):
    hits = m // 2
    step = max(n // max(hits, 1), 1)
    values = [{"value": value((k * step) % n)[1]} for k in range(hits)]
    values += [{"value": value(-(k + 1))[1]} for k in range(m - hits)]
    # Interleaved, so that matches are spread through the request.
    mixed = [None] * m
    mixed[0::2] = values[: len(mixed[0::2])]
    mixed[1::2] = values[len(mixed[0::2]) :]
    with open(path, "w", encoding="utf-8") as out:
        json.dump(mixed, out, separators=(",", ":"))


def medallion(pages, path):
    objects, manifest = [], []
    with open(pages, encoding="utf-8") as f:
        for line in f:
            page = json.loads(line)
            for o in page["envelope"].get("objects", []):
                objects.append(o)
                manifest.append(
                    {
                        "id": o["id"],
                        # irnet dates an object by when its version arrived; the
                        # envelope does not carry it, and the order is what matters here.
                        "date_added": o["modified"],
                        "version": o["modified"],
                        "media_type": "application/stix+json;version=2.1",
                    }
                )
    root = {
        "information": {
            "title": "bench",
            "description": "The same indicators as irnet serves",
            "versions": ["application/taxii+json;version=2.1"],
            "max_content_length": 16 * 1024 * 1024,
        },
        "status": [],
        "collections": [
            {
                "id": "5b1e3f35-1c8a-4e3e-9d1e-4c0f6c1a2b3d",
                "title": "Indicators",
                "description": "The same indicators as irnet serves",
                "can_read": True,
                "can_write": False,
                "media_types": ["application/stix+json;version=2.1"],
                "objects": objects,
                "manifest": manifest,
            }
        ],
    }
    data = {
        "/discovery": {
            "title": "medallion (bench)",
            "default": "http://127.0.0.1/api/",
            "api_roots": ["http://127.0.0.1/api/"],
        },
        "api": root,
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out)
    print(len(objects))


def main(argv):
    if len(argv) == 4 and argv[1] == "bundle":
        bundle(int(argv[2]), argv[3])
    elif len(argv) == 5 and argv[1] == "lookup":
        lookup(int(argv[2]), int(argv[3]), argv[4])
    elif len(argv) == 4 and argv[1] == "medallion":
        medallion(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
