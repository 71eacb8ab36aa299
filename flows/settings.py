"""Run parameters: typed, validated once at the entry point, passed down as one object."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from flows import PROJECT_ROOT

DEFAULT_WAREHOUSE = PROJECT_ROOT / "data"


class Limits(BaseModel):
    """Bounds that keep one bad file from stalling or swamping a run."""

    max_file_mb: float = Field(50, gt=0, description="files larger than this are quarantined unread")
    max_expanded_mb: float = Field(100, gt=0, description="most a .docx may inflate to, all its parts together; "
                                   "counted while inflating, so a zip bomb stops here")
    per_file_seconds: float = Field(60, gt=0, description="time reading one file may take (its parser runs "
                                    "in a child process that is killed at the limit)")
    max_parser_mb: float = Field(1024, ge=256, description="memory (address space) the child process that "
                                 "parses one file may use; a file that needs more is quarantined")
    max_text_kchars: float = Field(500, gt=0, description="most text (thousands of characters) one file may "
                                   "yield; the longest reports hold a few tens, and later stages take time "
                                   "in proportion")


class RunParams(BaseModel):
    raw_dir: Path = Field(description="folder scanned recursively for reports")
    warehouse_dir: Path = Field(DEFAULT_WAREHOUSE, description="where Parquet and warehouse.duckdb land")
    full_refresh: bool = Field(False, description="reprocess every file, not only new or changed ones")
    path_filter: str | None = Field(None, description="glob on paths relative to raw_dir, e.g. '2023/**'")
    batch_size: int = Field(200, ge=1, le=20000, description="files per task (when not set, a run on a local "
                            "cluster picks files / 10, 200 to 1000)")
    dask_address: str | None = Field(None, description="run batches on this Dask scheduler (tcp://host:8786), "
                                     "'local' for a LocalCluster of two worker processes, 'threads' for the "
                                     "flow's own threads; empty: 'local' from 2,000 files to process, else threads")
    limits: Limits = Field(default_factory=Limits)
