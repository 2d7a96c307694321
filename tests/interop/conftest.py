"""What the interop suites share: a real `irnet serve --demo` per test module, API tokens made
with `irnet token create`, and the real-world test data.

Environment:
  IRNET_BIN       path of the irnet binary (default: $CARGO_TARGET_DIR/release/irnet, else
                  target/release/irnet under the repository root)
  IRNET_TESTDATA  the real-world test data (default: ../shared/testdata beside the repository);
                  tests that need it are skipped without it, and fail under CI=true
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def irnet_bin() -> Path:
    if os.environ.get("IRNET_BIN"):
        return Path(os.environ["IRNET_BIN"])
    target = os.environ.get("CARGO_TARGET_DIR")
    base = Path(target) if target else REPO_ROOT / "target"
    return base / "release" / "irnet"


def oasis_testdata() -> Path | None:
    d = Path(os.environ.get("IRNET_TESTDATA", REPO_ROOT.parent / "shared" / "testdata"))
    if d.is_dir():
        return d
    if os.environ.get("CI") == "true":
        pytest.fail(f"{d} is missing; it is required under CI=true")
    return None


class Irnet:
    def __init__(self, url: str, data_dir: Path, binary: Path):
        self.url = url
        self.data_dir = data_dir
        self.binary = binary

    def token(self, email: str) -> str:
        out = subprocess.run(
            [str(self.binary), "token", "create", "--data-dir", str(self.data_dir), "--email", email],
            capture_output=True, text=True, timeout=60, check=True,
        )
        return out.stdout.strip().splitlines()[-1].strip()

    def api(self, token: str, method: str, path: str, headers: dict | None = None, **kw) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        return requests.request(method, self.url + path, headers=headers, timeout=60, **kw)


@pytest.fixture(scope="module")
def irnet():
    binary = irnet_bin()
    if not binary.is_file():
        pytest.fail(f"irnet binary not found at {binary}: build it or set IRNET_BIN")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = Path(tempfile.mkdtemp(prefix="irnet-interop-"))
    log = open(tmp / "serve.log", "w")
    proc = subprocess.Popen(
        [str(binary), "serve", "--demo", "--listen", f"127.0.0.1:{port}", "--data-dir", str(tmp / "data")],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp / "serve.log").read_text()[-3000:]
            try:
                if requests.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "irnet serve not ready within 60 s"
            time.sleep(0.1)
        yield Irnet(url, tmp / "data", binary)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        log.close()
