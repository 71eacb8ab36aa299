"""The Prefect UI, driven by a real browser: the `manual` deployment's parameter form, a run started
from it, and the run's summary artifact; plus the `nightly` deployment's scheduled runs.

Needs Chromium (Debian: `apt-get install -y chromium`, at /usr/bin/chromium or $FAZHI_CHROMIUM) and the
`playwright` package (installed with the test extras; never `playwright install`: the test launches
the system's Chromium). Starts its own `prefect server` on a free loopback port and `fazhi serve`;
about a minute. Skipped, saying why, when Chromium is missing. Run alone:
`.venv/bin/pytest tests/test_browser_ui.py -v`.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium"))
TIMEZONE = "Asia/Shanghai"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, check, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
        except Exception:  # the server is still starting
            found = None
        if found:
            return found
        time.sleep(1)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A Prefect server on loopback, `fazhi serve` registered on it, over one seed report."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api", reason="browser test skipped: pip install playwright")
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    import httpx

    base = tmp_path_factory.mktemp("ui")
    raw, warehouse = base / "raw", base / "w"
    raw.mkdir()
    first = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copyfile(first, raw / first.name)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PREFECT_HOME": str(base / "prefect"), "PREFECT_UI_API_URL": f"{url}/api",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    server = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=open(base / "server.log", "w"), stderr=subprocess.STDOUT)
    serve = None
    try:
        _wait("the Prefect server", lambda: httpx.get(f"{url}/api/health").status_code == 200, 180)
        serve = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--raw", str(raw), "--warehouse", str(warehouse),
             "--timezone", TIMEZONE],
            cwd=ROOT, env={**env, "PREFECT_API_URL": f"{url}/api", "PREFECT_RUNNER_POLL_FREQUENCY": "2"},
            stdout=open(base / "serve.log", "w"), stderr=subprocess.STDOUT)

        def deployments():
            found = {d["name"]: d for d in httpx.post(f"{url}/api/deployments/filter", json={}).json()}
            return found if {"manual", "nightly"} <= set(found) else None

        yield {"url": url, "deployments": _wait("both deployments", deployments, 120), "warehouse": warehouse,
               "logs": base}
    finally:
        if serve is not None:
            _stop(serve)
        _stop(server)


def _flow_runs(url: str, deployment_id: str) -> list[dict]:
    import httpx

    return httpx.post(f"{url}/api/flow_runs/filter",
                      json={"deployments": {"id": {"any_": [deployment_id]}}}).json()


def test_nightly_deployment_gets_scheduled_runs(served):
    nightly = served["deployments"]["nightly"]
    [schedule] = [s["schedule"] for s in nightly["schedules"]]
    assert (schedule["cron"], schedule["timezone"]) == ("0 2 * * *", TIMEZONE)
    # the server's scheduler (the one SQLAlchemy 2.1 breaks) fills in the coming nights
    runs = _wait("scheduled runs", lambda: [r for r in _flow_runs(served["url"], nightly["id"])
                                            if r["state_type"] == "SCHEDULED"], 90)
    for run in runs:
        assert run["expected_start_time"].endswith("T18:00:00Z")  # 02:00 in Shanghai


def test_manual_run_from_the_ui_form(served):
    from playwright.sync_api import expect, sync_playwright

    url, manual = served["url"], served["deployments"]["manual"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/deployments/deployment/{manual['id']}", wait_until="networkidle")
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("Custom run").click()
        # the form: every run parameter, typed, with its description and default
        for label in ("Raw Dir", "Warehouse Dir (Optional)", "Full Refresh (Optional)", "Path Filter (Optional)",
                      "Batch Size (Optional)", "Dask Address (Optional)"):
            expect(page.get_by_text(label, exact=True)).to_be_visible()
        expect(page.get_by_text("folder scanned recursively for reports")).to_be_visible()
        batch_size = page.locator("xpath=//*[normalize-space(text())='Batch Size (Optional)']/following::input[1]")
        expect(batch_size).to_have_value("200")
        batch_size.fill("1")
        page.get_by_role("button", name="Submit").click()

        def finished():
            runs = [r for r in _flow_runs(url, manual["id"]) if r["state_type"] in ("COMPLETED", "FAILED", "CRASHED")]
            return runs[0] if runs else None

        try:
            run = _wait("the manual run to finish", finished, 420)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; fazhi serve's log ends:\n"
                               + (served["logs"] / "serve.log").read_text()[-3000:]) from exc
        assert run["state_type"] == "COMPLETED", (served["logs"] / "serve.log").read_text()[-3000:]
        assert run["parameters"]["params"]["batch_size"] == 1

        page.goto(f"{url}/runs/flow-run/{run['id']}", wait_until="networkidle")
        page.get_by_text("Artifacts", exact=True).first.click()
        expect(page.get_by_text("fazhi-stage-timings")).to_be_visible()
        page.get_by_text("fazhi-run-summary").click()
        expect(page.get_by_text("reports landed").first).to_be_visible()
        expect(page.get_by_text("new or changed").first).to_be_visible()
        browser.close()
    assert (served["warehouse"] / "warehouse.duckdb").exists()
