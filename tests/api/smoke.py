"""Contract checks of the HTTP surface that schemathesis does not make by itself.

usage: python3 tests/api/smoke.py BASE_URL TOKEN EMAIL

Prints one line per check and a closing 'N passed, N failed' line; exits 1 if
any check failed.
"""

from __future__ import annotations

import sys
import traceback

import requests

TIMEOUT = 10


def main() -> int:
    base, token, email = sys.argv[1], sys.argv[2], sys.argv[3]
    auth = {"Authorization": f"Bearer {token}"}
    checks = []

    def check(fn):
        checks.append(fn)
        return fn

    @check
    def healthz():
        r = requests.get(f"{base}/healthz", timeout=TIMEOUT)
        assert r.status_code == 200, f"/healthz -> {r.status_code}"

    @check
    def readyz():
        r = requests.get(f"{base}/readyz", timeout=TIMEOUT)
        assert r.status_code == 200, f"/readyz -> {r.status_code}"

    @check
    def openapi_document():
        r = requests.get(f"{base}/api/openapi.json", timeout=TIMEOUT)
        assert r.status_code == 200, f"/api/openapi.json -> {r.status_code}"
        doc = r.json()
        assert str(doc.get("openapi", "")).startswith("3.1"), f"openapi version is {doc.get('openapi')!r}, want 3.1.x"
        paths = doc.get("paths") or {}
        assert any(p.startswith("/api/v1/") for p in paths), f"no /api/v1/ paths documented: {sorted(paths)[:10]}"
        assert "/api/v1/me" in paths, "GET /api/v1/me is not documented"
        schemes = (doc.get("components") or {}).get("securitySchemes") or {}
        assert any(
            s.get("type") == "http" and str(s.get("scheme", "")).lower() == "bearer" for s in schemes.values()
        ), f"no HTTP bearer security scheme documented: {schemes}"

    @check
    def swagger_ui():
        r = requests.get(f"{base}/api/docs", timeout=TIMEOUT)
        assert r.status_code == 200, f"/api/docs -> {r.status_code} (after redirects)"
        assert "text/html" in r.headers.get("content-type", ""), r.headers.get("content-type")
        assert "swagger" in r.text.lower(), "/api/docs does not look like Swagger UI"

    @check
    def me_with_token():
        r = requests.get(f"{base}/api/v1/me", headers=auth, timeout=TIMEOUT)
        assert r.status_code == 200, f"/api/v1/me -> {r.status_code}: {r.text[:300]}"
        assert r.headers.get("content-type", "").startswith("application/json"), r.headers.get("content-type")
        body = r.json()
        assert body.get("email") == email, f"email is {body.get('email')!r}, want {email!r}"
        roles = body.get("roles")
        assert isinstance(roles, list) and roles, f"roles is {roles!r}, want a non-empty list for an admin"

    @check
    def me_without_token_is_problem_json():
        r = requests.get(f"{base}/api/v1/me", timeout=TIMEOUT)
        assert r.status_code == 401, f"/api/v1/me without a token -> {r.status_code}"
        ct = r.headers.get("content-type", "")
        assert ct.startswith("application/problem+json"), f"content-type {ct!r}"
        body = r.json()
        assert body.get("status") == 401 and body.get("title"), f"problem body {body}"

    @check
    def me_with_bad_token_is_401():
        bad = {"Authorization": "Bearer irnet_" + "0" * 40}
        r = requests.get(f"{base}/api/v1/me", headers=bad, timeout=TIMEOUT)
        assert r.status_code == 401, f"/api/v1/me with an unknown token -> {r.status_code}"
        assert r.headers.get("content-type", "").startswith("application/problem+json")

    @check
    def unknown_api_path_is_problem_json():
        r = requests.get(f"{base}/api/v1/no-such-resource-for-smoke-test", headers=auth, timeout=TIMEOUT)
        assert r.status_code == 404, f"unknown API path -> {r.status_code}"
        ct = r.headers.get("content-type", "")
        assert ct.startswith("application/problem+json"), f"content-type {ct!r}"

    @check
    def wrong_method_is_problem_json():
        # /api/v1/me is documented for GET and PATCH only.
        r = requests.put(f"{base}/api/v1/me", headers=auth, json={}, timeout=TIMEOUT)
        assert r.status_code == 405, f"PUT /api/v1/me -> {r.status_code}"
        ct = r.headers.get("content-type", "")
        assert ct.startswith("application/problem+json"), f"405 content-type {ct!r}, body {r.text[:100]!r}"

    passed = failed = 0
    for fn in checks:
        try:
            fn()
            print(f"ok   {fn.__name__}")
            passed += 1
        except Exception as e:  # noqa: BLE001 - report every check
            failed += 1
            print(f"FAIL {fn.__name__}: {e}")
            if not isinstance(e, AssertionError):
                traceback.print_exc()
    print(f"smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
