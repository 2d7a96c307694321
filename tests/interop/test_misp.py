"""irnet's MISP import, export and feed against a real `irnet serve --demo`, with PyMISP as the
format oracle: every MISP event of ../shared/testdata/misp that PyMISP loads imports through
the API and its indicators appear in the list (the files PyMISP cannot load are reported as
skipped, with PyMISP's reason); the export and every feed file load back in PyMISP; the
manifest names exactly the event files, and hashes.csv holds the MD5 of each attribute value
(each half of a composite one) with its event's uuid. An outsider's feed leaves out what it may
not see, and an event it may not see is 404.

Environment: see conftest.py (IRNET_BIN, IRNET_TESTDATA).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import warnings
from pathlib import Path

import pytest
from pymisp import MISPEvent

from conftest import REPO_ROOT, oasis_testdata

LANG_SON = "ungcuu.langson@demo.irnet.vn"  # a responder of Lạng Sơn
THAI_NGUYEN = "quantri.thainguyen@demo.irnet.vn"  # the org admin of Thái Nguyên


@pytest.fixture(scope="module")
def tokens(irnet):
    return {"lang_son": irnet.token(LANG_SON), "thai_nguyen": irnet.token(THAI_NGUYEN)}


def pymisp_loads(path) -> str | None:
    """None when PyMISP loads the file as an event, else its reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            MISPEvent().load_file(str(path))
        return None
    except Exception as e:  # PyMISP raises several kinds; each is a reason to skip
        return f"{type(e).__name__}: {e}"[:200]


def listed_ids(irnet, token: str) -> set[str]:
    ids, cursor = set(), None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        r = irnet.api(token, "GET", "/api/v1/indicators", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        ids |= {i["id"] for i in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            return ids


@pytest.fixture(scope="module")
def imported(irnet, tokens):
    """Every testdata event PyMISP loads, imported by Lạng Sơn: {file name: summary}."""
    data = oasis_testdata()
    if data is None:
        pytest.skip("../shared/testdata is missing: the MISP events cannot be imported")
    files = sorted((data / "misp").glob("*.json"))
    assert files, f"no MISP file in {data / 'misp'}"
    summaries, skipped = {}, {}
    for path in files:
        reason = pymisp_loads(path)
        if reason:
            skipped[path.name] = reason
            continue
        r = irnet.api(tokens["lang_son"], "POST", "/api/v1/misp/import", data=path.read_bytes(),
                      headers={"Content-Type": "application/json"})
        assert 200 <= r.status_code < 300, f"{path.name}: {r.status_code} {r.text[:2000]}"
        summaries[path.name] = r.json()
    assert summaries, "PyMISP loaded none of the files"
    return {"summaries": summaries, "skipped": skipped}


def misp_files() -> list[str]:
    """The file names, for one test each (collected before the fixtures run)."""
    d = Path(os.environ.get("IRNET_TESTDATA", REPO_ROOT.parent / "shared" / "testdata")) / "misp"
    return sorted(p.name for p in d.glob("*.json")) if d.is_dir() else ["(no test data)"]


@pytest.mark.parametrize("name", misp_files())
def test_each_file_pymisp_loads_is_imported(name, imported):
    if name in imported["skipped"]:
        pytest.skip(f"PyMISP does not load {name}: {imported['skipped'][name]}")
    assert name in imported["summaries"]


def test_every_event_pymisp_loads_imports_and_its_indicators_are_listed(irnet, tokens, imported):
    listed = listed_ids(irnet, tokens["lang_son"])
    total = 0
    for name, summary in imported["summaries"].items():
        for event in summary["events"]:
            ids = {a["id"] for a in event["indicators"]}
            assert ids <= listed, name
            total += len(ids)
    assert total > 0, "no attribute of the test data became an indicator"


def test_a_bad_event_is_refused_naming_the_attribute(irnet, tokens):
    event = {"Event": {"info": "bad", "Attribute": [
        {"uuid": "5f0e0000-0000-4000-8000-0000000bad01", "type": "domain", "value": "bad.example",
         "Tag": [{"name": "tlp:purple"}]}]}}
    r = irnet.api(tokens["lang_son"], "POST", "/api/v1/misp/import", json=event)
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == ["Event.Attribute[5f0e0000-0000-4000-8000-0000000bad01].Tag[0]"]


def test_the_export_loads_back_in_pymisp(irnet, tokens, imported):
    r = irnet.api(tokens["lang_son"], "GET", "/api/v1/misp/events")
    assert r.status_code == 200, r.text
    events = r.json()["response"]
    assert events, "the export is empty"
    for e in events:
        event = MISPEvent()
        event.load(e)
        assert event.uuid and event.info and event.attributes
        assert any(t.name.startswith("tlp:") for t in event.tags)
        assert all(t.name != "tlp:red" for t in event.tags)


def feed(irnet, token: str) -> tuple[dict, list[list[str]]]:
    r = irnet.api(token, "GET", "/api/v1/misp/feed/manifest.json")
    assert r.status_code == 200, r.text
    h = irnet.api(token, "GET", "/api/v1/misp/feed/hashes.csv")
    assert h.status_code == 200, h.text
    assert h.headers["Content-Type"].startswith("text/csv")
    return r.json(), list(csv.reader(io.StringIO(h.text)))


def test_the_feed_loads_in_pymisp_and_its_manifest_and_hashes_match(irnet, tokens, imported):
    manifest, hashes = feed(irnet, tokens["lang_son"])
    assert manifest
    assert {row[1] for row in hashes} <= set(manifest)
    for uuid, entry in manifest.items():
        r = irnet.api(tokens["lang_son"], "GET", f"/api/v1/misp/feed/{uuid}.json")
        assert r.status_code == 200, r.text
        event = MISPEvent()
        event.load(r.json())
        assert event.uuid == uuid
        assert entry["info"] == event.info
        assert entry["Orgc"]["name"] == event.Orgc.name
        assert int(entry["timestamp"]) == int(event.timestamp.timestamp())
        expected = sorted(
            hashlib.md5(part.encode()).hexdigest()
            for a in event.attributes
            for part in a.value.split("|")
        )
        assert sorted(row[0] for row in hashes if row[1] == uuid) == expected


def test_an_outsider_reads_only_its_own_part_of_the_feed(irnet, tokens):
    strict = "203.0.113.199"
    event = {"Event": {"info": "Lạng Sơn only", "distribution": 0, "Tag": [{"name": "tlp:green"}],
                       "Attribute": [{"type": "ip-dst", "value": strict, "to_ids": True}]}}
    r = irnet.api(tokens["lang_son"], "POST", "/api/v1/misp/import", json=event)
    assert r.status_code == 200, r.text
    assert r.json()["events"][0]["indicators"][0]["tlp"] == "AMBER+STRICT"
    owner, owner_hashes = feed(irnet, tokens["lang_son"])
    outsider, outsider_hashes = feed(irnet, tokens["thai_nguyen"])
    md5 = hashlib.md5(strict.encode()).hexdigest()
    assert md5 in {row[0] for row in owner_hashes}
    assert md5 not in {row[0] for row in outsider_hashes}
    hidden = set(owner) - set(outsider)
    assert hidden, "the AMBER+STRICT event is in the outsider's manifest"
    for uuid in hidden:
        r = irnet.api(tokens["thai_nguyen"], "GET", f"/api/v1/misp/feed/{uuid}.json")
        assert r.status_code == 404, r.text
    r = irnet.api(tokens["thai_nguyen"], "GET", "/api/v1/misp/events")
    assert strict not in r.text
