"""Fixtures for the documents suite: the release binary `irnet serve --demo` on a free port,
once on SQLite in a temporary data directory and once on a fresh PostgreSQL database that the
fixture creates and drops, with an API token for the demo coordinator.

Environment:
  IRNET_BIN                 the release binary (default: $CARGO_TARGET_DIR/release/irnet, else
                            target/release/irnet under the repository root)
  IRNET_TEST_POSTGRES_URL   an administrative PostgreSQL URL ending in /database; without it the
                            PostgreSQL run is skipped, loudly
  IRNET_ARTIFACT_DIR        where the server logs and the downloaded documents go
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0
CLI_TIMEOUT_S = 60.0
COORDINATOR = "dieuphoi@demo.irnet.vn"


def irnet_bin() -> Path:
    explicit = os.environ.get("IRNET_BIN")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return Path(target) / "release" / "irnet"
    return REPO_ROOT / "target" / "release" / "irnet"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def artifact_dir() -> Path:
    d = os.environ.get("IRNET_ARTIFACT_DIR")
    path = Path(d) if d else Path(tempfile.mkdtemp(prefix="irnet-documents-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_token(binary: Path, email: str, db_args: list[str]) -> str:
    """An API token for a demo account, through `irnet token create` (shown once on stdout)."""
    out = subprocess.run(
        [str(binary), "token", "create", "--email", email, "--scope", "read", *db_args],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert out.returncode == 0, out.stderr
    token = re.search(r"irnet_[A-Za-z0-9_-]+", out.stdout)
    assert token, f"no token in: {out.stdout}"
    return token.group(0)


@dataclass
class Demo:
    backend: str
    base_url: str
    token: str
    artifact_dir: Path
    binary: Path
    db_args: list[str]

    def get(self, path: str, token: str | None = None, **kw) -> requests.Response:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return requests.get(self.base_url + path, headers=headers, timeout=30, **kw)

    def token_for(self, email: str) -> str:
        return create_token(self.binary, email, self.db_args)


def _psql(admin_url: str, sql: str) -> None:
    subprocess.run(
        ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )


def _wait_ready(base_url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"irnet serve --demo exited with {proc.returncode}; "
                f"log:\n{log_path.read_text(errors='replace')[-4000:]}"
            )
        try:
            if requests.get(base_url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"/readyz not 200 within {READY_TIMEOUT_S}s")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request, artifact_dir: Path):
    backend = request.param
    binary = irnet_bin()
    if not binary.is_file():
        pytest.fail(f"irnet binary not found at {binary}: `cargo build --release -p irnet-cli` or set IRNET_BIN")
    tmp = Path(tempfile.mkdtemp(prefix=f"irnet-documents-{backend}-"))
    db_args = ["--data-dir", str(tmp / "data")]
    admin_url = os.environ.get("IRNET_TEST_POSTGRES_URL", "")
    db_name = None
    if backend == "postgres":
        if not admin_url:
            # CI always provides PostgreSQL: there a missing URL is a broken setup, not a skip.
            if os.environ.get("CI") == "true":
                pytest.fail("IRNET_TEST_POSTGRES_URL is not set, and CI always runs on PostgreSQL too")
            print("\n*** IRNET_TEST_POSTGRES_URL is not set: the PostgreSQL run is SKIPPED ***")
            pytest.skip("IRNET_TEST_POSTGRES_URL is not set")
        db_name = f"irnet_documents_{secrets.token_hex(6)}"
        _psql(admin_url, f"CREATE DATABASE {db_name}")
        db_args = ["--database-url", admin_url.rsplit("/", 1)[0] + "/" + db_name]
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = artifact_dir / f"serve-{backend}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [str(binary), "serve", "--demo", "--listen", f"127.0.0.1:{port}", *db_args],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "info")},
    )
    try:
        _wait_ready(base_url, proc, log_path)
        token = create_token(binary, COORDINATOR, db_args)
        yield Demo(backend, base_url, token, artifact_dir, binary, db_args)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT_S)
        log.close()
        if db_name:
            _psql(admin_url, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)
