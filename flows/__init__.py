"""Prefect flows that wire the stages into batched tasks, and the `fazhi` command.

The project's own settings are set here, before Prefect or Great Expectations is imported:
telemetry off, Prefect's home inside the project, a start-up timeout that suits a 2-core machine.
"""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

for key, value in {
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LOG_PRINTS": "true",
    "DASK_LOGGING__DISTRIBUTED": "warning",
    "FAZHI_CACHE_DIR": str(PROJECT_ROOT / ".cache"),  # jieba's dictionary cache (stages/terms.py)
}.items():
    os.environ.setdefault(key, value)
