"""The deployments `fazhi serve` registers and the artifacts a run publishes (no server needed)."""
from __future__ import annotations

from pathlib import Path

from flows.artifacts import summary_markdown, timings_rows
from flows.cli import main
from flows.deploy import deployments, local_timezone
from flows.pipeline import RunSummary


def test_two_deployments_with_typed_parameters(tmp_path):
    nightly, manual = deployments(tmp_path / "raw", tmp_path / "w", cron="30 1 * * *", timezone="Asia/Urumqi")
    assert (nightly.name, manual.name) == ("nightly", "manual")
    [schedule] = nightly.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 1 * * *", "Asia/Urumqi")
    assert not manual.schedules
    for deployment in (nightly, manual):
        params = deployment.parameters["params"]
        assert (params["raw_dir"], params["warehouse_dir"]) == (str(tmp_path / "raw"), str(tmp_path / "w"))
        assert deployment.entrypoint == "flows.pipeline.fazhi_run"
    schema = manual._parameter_openapi_schema.model_dump()
    fields = schema["definitions"]["RunParams"]["properties"]
    assert {"raw_dir", "warehouse_dir", "full_refresh", "path_filter", "batch_size", "dask_address"} <= set(fields)
    assert fields["batch_size"]["type"] == "integer" and fields["full_refresh"]["type"] == "boolean"
    assert all(f.get("description") for f in fields.values() if "$ref" not in f)


def test_time_zone_from_the_environment(monkeypatch):
    monkeypatch.setenv("FAZHI_TIMEZONE", "Asia/Shanghai")
    assert local_timezone() == "Asia/Shanghai"


def test_serve_needs_a_server(monkeypatch, capsys):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve"]) == 2
    assert "prefect server start" in capsys.readouterr().err


def test_summary_names_counts_reasons_and_files():
    summary = RunSummary("r1", files_seen=4, files_new=3, reports_landed=1, quarantined=2,
                         quarantine_reasons={"duplicate": 1, "too_large": 1}, quality_failures=1,
                         held=[("a/x.txt", "ingest", "duplicate", "the same bytes already landed as b|y.txt"),
                               ("big.pdf", "ingest", "too_large", "split the file")],
                         failed_expectations={"metrics.unit_known(unit)": 1})
    text = summary_markdown(summary)
    assert "| 4 | 3 | 1 | 2 | 1 |" in text
    assert "| duplicate | 1 |" in text and "| too_large | 1 |" in text
    assert "| a/x.txt | ingest | duplicate | the same bytes already landed as b\\|y.txt |" in text
    assert "| metrics.unit_known(unit) | 1 |" in text
    assert "Nothing new" not in text
    assert "Nothing new" in summary_markdown(RunSummary("r2", 4, 0, 0, 0))


def test_timings_in_pipeline_order():
    rows = timings_rows(RunSummary("r", 1, 1, 1, 0, seconds={"commit": 1.0, "ingest": 2.0, "plan": 1.0}))
    assert [r["stage"] for r in rows] == ["plan", "ingest", "commit"]
    assert [r["share"] for r in rows] == ["25%", "50%", "25%"]


def test_readme_documents_serve():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "## Operations" in readme and "fazhi serve" in readme and "prefect server start --host 127.0.0.1" in readme
