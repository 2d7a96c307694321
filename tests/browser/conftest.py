"""Fixtures for the browser suite: a real `irnet serve` on a free port with a
fresh data directory, an admin created through the CLI, and Debian's Chromium
driven by Playwright.

Environment:
  IRNET_BIN           path of the release binary (default: $CARGO_TARGET_DIR/release/irnet,
                      else target/release/irnet under the repository root)
  IRNET_ARTIFACT_DIR  where screenshots and server logs go (default: a new temp dir)
  IRNET_CHROMIUM      browser executable (default: /usr/bin/chromium)
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
CLI_TIMEOUT_S = 60.0


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
    path = Path(d) if d else Path(tempfile.mkdtemp(prefix="irnet-browser-"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\n[browser] artifacts in {path}")
    return path


@dataclass
class Account:
    email: str
    password: str
    org: str
    name: str


@dataclass
class Server:
    base_url: str
    data_dir: Path
    log_path: Path
    bin: Path
    proc: subprocess.Popen
    accounts: list[Account] = field(default_factory=list)

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        res = subprocess.run(
            [str(self.bin), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_S,
        )
        if res.returncode != 0:
            raise AssertionError(
                f"`irnet {' '.join(args)}` exited {res.returncode}\n"
                f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}"
            )
        return res

    def create_admin(self, label: str) -> Account:
        acct = Account(
            email=f"{label}-{secrets.token_hex(4)}@cert.example.vn",
            # 24 chars, comfortably above the 12-char minimum.
            password="Mk-" + secrets.token_urlsafe(16),
            org="Trung tâm Ứng cứu Thử nghiệm",
            name="Nguyễn Văn Thử",
        )
        self.cli(
            "user", "create",
            "--data-dir", str(self.data_dir),
            "--email", acct.email,
            "--org", acct.org,
            "--name", acct.name,
            "--admin",
            "--password-stdin",
            stdin=acct.password + "\n",
        )
        self.accounts.append(acct)
        return acct


def _wait_ready(base_url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    last = "no attempt"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"irnet serve exited with {proc.returncode} before becoming ready; "
                f"log:\n{log_path.read_text(errors='replace')[-4000:]}"
            )
        try:
            r = requests.get(base_url + "/readyz", timeout=2)
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}"
        except requests.RequestException as e:  # not listening yet
            last = type(e).__name__
        time.sleep(0.1)
    raise AssertionError(
        f"/readyz not 200 within {READY_TIMEOUT_S}s (last: {last}); "
        f"log:\n{log_path.read_text(errors='replace')[-4000:]}"
    )


def _serve(artifact_dir: Path, name: str, extra: list[str]):
    """Runs `irnet serve` (plus `extra` arguments) on a free port with a new data directory until
    the session ends; then checks the graceful stop and the audit chain it left behind."""
    binary = irnet_bin()
    if not binary.is_file():
        pytest.fail(
            f"irnet binary not found at {binary}: build it with "
            "`cargo build --release -p irnet-cli` or set IRNET_BIN"
        )
    tmp = Path(tempfile.mkdtemp(prefix="irnet-browser-data-"))
    data_dir = tmp / "data"  # not created: `serve` must create it
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = artifact_dir / f"{name}.log"
    log = open(log_path, "w")
    env = dict(os.environ)
    env.setdefault("RUST_LOG", "info")
    proc = subprocess.Popen(
        [str(binary), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data_dir), *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    srv = Server(base_url=base_url, data_dir=data_dir, log_path=log_path, bin=binary, proc=proc)
    try:
        _wait_ready(base_url, proc, log_path)
        yield srv
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT_S)
                log.close()
                raise AssertionError(f"irnet serve did not stop within {STOP_TIMEOUT_S}s of SIGTERM")
        log.close()
    # Only reached when the session's tests ran: check what the contract says
    # about a graceful stop and the audit chain left behind by the UI flows.
    text = log_path.read_text(errors="replace")
    assert f"http://127.0.0.1:{port}" in text, (
        f"serve never printed its address http://127.0.0.1:{port}; log:\n{text[-2000:]}"
    )
    assert proc.returncode == 0, (
        f"irnet serve exited {proc.returncode} after SIGTERM (expected a graceful stop, exit 0)"
    )
    srv.cli("audit", "verify", "--data-dir", str(data_dir))
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def server(artifact_dir: Path):
    """An empty irnet: accounts are created through the CLI."""
    yield from _serve(artifact_dir, "server", [])


@pytest.fixture(scope="session")
def demo_server(artifact_dir: Path):
    """irnet with the demo network (`serve --demo`): the seed's Cluster 1 and its accounts."""
    yield from _serve(artifact_dir, "demo-server", ["--demo"])


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("IRNET_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class ConsoleLog:
    """Console errors and uncaught page errors seen by one page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda msg: self.errors.append(f"console.{msg.type}: {msg.text} @ {msg.location}")
            if msg.type == "error"
            else None,
        )
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror on {page.url}: {exc}"))

    def assert_clean(self) -> None:
        assert not self.errors, "the pages produced console errors:\n" + "\n".join(self.errors)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


@pytest.fixture
def page(browser, request, artifact_dir: Path):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    console = ConsoleLog()
    console.attach(pg)
    pg.console_log = console  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is None or rep.failed:
            shot = artifact_dir / f"{request.node.name}.png"
            try:
                pg.screenshot(path=str(shot), full_page=True)
                (artifact_dir / f"{request.node.name}.html").write_text(pg.content())
                print(f"\n[browser] failure screenshot: {shot} (url {pg.url})")
            except Exception as e:  # the page may be gone; keep the original failure
                print(f"\n[browser] could not take a screenshot: {e}")
        context.close()
