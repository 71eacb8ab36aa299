"""The deployments `fazhi serve` registers and serves on the Prefect server in PREFECT_API_URL.

- `nightly`: a cron schedule (02:00 by default, in a configurable time zone) over the raw folder;
- `manual`: no schedule; started from the UI, whose form shows the run's typed parameters
  (RunParams: raw dir, warehouse dir, full refresh, path filter, batch size, Dask address, limits).

Both run the same flow, `fazhi-run`, with the same defaults. Serving blocks; each flow run starts in a
subprocess of the serving process, which must see the raw and warehouse folders.
"""
from __future__ import annotations

import os
from pathlib import Path

from flows import PROJECT_ROOT
from flows.settings import RunParams

DEFAULT_RAW = PROJECT_ROOT / "raw"
DEFAULT_CRON = "0 2 * * *"


def local_timezone() -> str:
    """The time zone the nightly schedule uses: FAZHI_TIMEZONE, else TZ, else the machine's, else UTC."""
    for name in (os.environ.get("FAZHI_TIMEZONE"), os.environ.get("TZ")):
        if name:
            return name.lstrip(":")
    localtime = Path("/etc/localtime")
    if localtime.is_symlink() and "zoneinfo/" in os.readlink(localtime):
        return os.readlink(localtime).split("zoneinfo/", 1)[1]
    timezone = Path("/etc/timezone")
    if timezone.is_file() and timezone.read_text().strip():
        return timezone.read_text().strip()
    return "UTC"


def deployments(raw_dir: Path, warehouse_dir: Path, cron: str = DEFAULT_CRON, timezone: str | None = None) -> list:
    """The two deployments, with raw_dir and warehouse_dir as their default parameters."""
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.deployments.runner import EntrypointType

    from flows.pipeline import fazhi_run

    defaults = {"params": RunParams(raw_dir=Path(raw_dir).resolve(),
                                    warehouse_dir=Path(warehouse_dir).resolve()).model_dump(mode="json")}
    common = {"parameters": defaults, "entrypoint_type": EntrypointType.MODULE_PATH, "tags": ["fazhi"]}
    tz = timezone or local_timezone()
    return [
        fazhi_run.to_deployment(
            name="nightly", schedules=[CronSchedule(cron=cron, timezone=tz)],
            description=f"Nightly ingestion of new or changed files under {defaults['params']['raw_dir']} "
                        f"(cron `{cron}`, {tz}).", **common),
        fazhi_run.to_deployment(
            name="manual",
            description="A run started by hand: pick the folders, a path filter (e.g. `2023/**`), a full "
                        "refresh or a batch size in the form, then Run.", **common),
    ]


def serve(raw_dir: Path, warehouse_dir: Path, cron: str = DEFAULT_CRON, timezone: str | None = None) -> None:
    """Register both deployments and run their flow runs until interrupted."""
    from prefect import serve as prefect_serve

    prefect_serve(*deployments(raw_dir, warehouse_dir, cron, timezone))
