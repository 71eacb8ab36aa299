"""Crash-safe landing: immutable Parquet files in snapshots, made visible by one atomic symlink swap.

Layout under the warehouse folder:
  current -> snapshots/<id>     the latest complete snapshot: what the next run starts from
  snapshots/<id>/<table>/*.parquet   immutable; unchanged files are hard links into the previous one
  snapshots/<id>.building/      a snapshot being assembled (removed if a run dies before its swap)
  staging/<run_id>/<table>/*.parquet   a run's new files, moved into the next snapshot at commit
  warehouse.duckdb                views over ONE snapshot's real folder; rebuilt aside and renamed
                                  into place after each swap, so readers never block a run

Why the views name the snapshot, not `current`: DuckDB expands each view's glob separately (and
opens the files later), so views through `current` could mix two snapshots within one query, e.g.
metrics of a report that the same query's `reports` does not have yet. A reader's open connection
keeps the snapshot it opened; a new connection sees the latest. Superseded snapshots stay on disk
for READER_GRACE_SECONDS (and the last KEEP_SNAPSHOTS always) so open sessions keep working.

A run killed before the swap leaves `current` as it was; one killed after it is complete; the next
run repairs warehouse.duckdb if the kill fell between the two renames. FAZHI_KILL_AT=<point> makes
the process kill itself (SIGKILL) at one of KILL_POINTS, for the crash-safety tests.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.schema import PER_REPORT, SCHEMAS

VIEWS_SQL = Path(__file__).with_name("views.sql")
MARTS_SQL = Path(__file__).with_name("marts.sql")  # derived views, applied after the staging views
KEEP_SNAPSHOTS = 3
READER_GRACE_SECONDS = 6 * 3600
KILL_POINTS = ("staged", "half-moved", "built", "swapped", "viewed")


def kill_point(name: str) -> None:
    """Die here, as `kill -9` would, when FAZHI_KILL_AT names this point (crash-safety tests)."""
    if os.environ.get("FAZHI_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse's lock."""


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write a file under a temporary name and rename it, so no reader sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def to_table(name: str, rows: list[dict] | pd.DataFrame) -> pa.Table:
    """Rows as an Arrow table of the landed table's schema; from a pandas frame of them if there is one
    (its columns already built: ~30x cheaper than from the dicts; a NaN float lands as null)."""
    if isinstance(rows, pd.DataFrame):
        return pa.Table.from_pandas(rows, schema=SCHEMAS[name], preserve_index=False).replace_schema_metadata()
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


class Warehouse:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.current = self.root / "current"

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the warehouse for one run; a second concurrent run is refused, not interleaved."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise WarehouseBusy(f"another fazhi run is landing into {self.root}") from exc
            yield

    def files(self, table: str) -> list[Path]:
        folder = self.current / table
        return sorted(folder.glob("*.parquet")) if folder.is_dir() else []

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table:
        parts = [pq.read_table(p, columns=columns, schema=SCHEMAS[table]) for p in self.files(table)]
        if not parts:
            schema = SCHEMAS[table]
            return schema.empty_table() if columns is None else pa.schema([schema.field(c) for c in columns]).empty_table()
        return pa.concat_tables(parts)

    def staging(self, run_id: str) -> Path:
        return self.root / "staging" / run_id

    def stage(self, run_id: str, table: str, part: str, rows: list[dict] | pd.DataFrame) -> None:
        """Write one batch's rows of a table into the run's staging folder."""
        if len(rows):
            write_parquet(to_table(table, rows), self.staging(run_id) / table / f"{part}.parquet")
            kill_point("staged")

    def commit(self, run_id: str, drop_reports: set[str], replace: dict[str, pa.Table]) -> None:
        """Build the next snapshot from the current one and the run's staged files, then swap it in.

        drop_reports: report ids whose old rows leave the per-report tables.
        replace: tables rewritten whole (quarantine, sources); other tables keep their files and gain
        the staged ones.
        """
        snaps = self.root / "snapshots"
        snap, building = snaps / run_id, snaps / f"{run_id}.building"
        shutil.rmtree(building, ignore_errors=True)
        staged = self.staging(run_id)
        moved = 0
        for table in SCHEMAS:
            out = building / table
            out.mkdir(parents=True)
            if table in replace:
                write_parquet(replace[table].cast(SCHEMAS[table]), out / f"{run_id}.parquet")
                continue
            for old in self.files(table):
                self._carry(table, old, out / old.name, drop_reports)
            for new in sorted((staged / table).glob("*.parquet")) if (staged / table).is_dir() else []:
                os.replace(new, out / f"{run_id}-{new.name}")
                moved += 1
                if moved == 2:
                    kill_point("half-moved")
            if not any(out.glob("*.parquet")):
                write_parquet(SCHEMAS[table].empty_table(), out / f"{run_id}-empty.parquet")
        _fsync_tree(building)
        os.replace(building, snap)
        kill_point("built")
        link = self.root / f".current-{run_id}"
        if link.is_symlink():
            link.unlink()
        link.symlink_to(Path("snapshots") / run_id)
        os.replace(link, self.current)  # the commit point
        _fsync_dir(self.root)
        kill_point("swapped")
        self.ensure_views()
        kill_point("viewed")
        shutil.rmtree(staged, ignore_errors=True)
        self._prune()

    def _carry(self, table: str, old: Path, new: Path, drop_reports: set[str]) -> None:
        """Hard-link an unchanged file into the new snapshot; rewrite it without dropped reports."""
        if table in PER_REPORT and drop_reports:
            ids = pq.read_table(old, columns=["report_id"]).column("report_id")
            keep = pc.invert(pc.is_in(ids, pa.array(sorted(drop_reports), pa.string())))
            if not pc.all(keep).as_py():
                kept = pq.read_table(old, schema=SCHEMAS[table]).filter(keep)
                if kept.num_rows:
                    write_parquet(kept, new)
                return
        os.link(old, new)

    def discard_staging(self) -> None:
        """Recover from a killed run: drop its staging and unfinished snapshot, repair the views."""
        shutil.rmtree(self.root / "staging", ignore_errors=True)
        snaps = self.root / "snapshots"
        for unfinished in snaps.glob("*.building") if snaps.is_dir() else []:
            shutil.rmtree(unfinished, ignore_errors=True)
        self.ensure_views()
        self._prune()

    def _prune(self) -> None:
        """Remove superseded snapshots no open reader can still need (see the module docstring)."""
        snaps = self.root / "snapshots"
        if not snaps.is_dir():
            return
        live = self.current.resolve().name if self.current.exists() else None
        ordered = sorted((p for p in snaps.iterdir() if p.is_dir() and not p.name.endswith(".building")),
                         key=lambda p: p.stat().st_mtime)
        if live is None:
            return
        now = time.time()
        for i, p in enumerate(ordered[:-KEEP_SNAPSHOTS]):
            superseded_at = ordered[i + 1].stat().st_mtime
            if p.name != live and now - superseded_at > READER_GRACE_SECONDS:
                shutil.rmtree(p, ignore_errors=True)

    def ensure_views(self) -> None:
        """Point warehouse.duckdb's views at the current snapshot: built aside, renamed into place."""
        if not self.current.exists():
            return
        sql = "\n".join(p.read_text(encoding="utf-8") for p in (VIEWS_SQL, MARTS_SQL))
        sql = sql.replace("{data}", str(self.current.resolve()))
        digest = hashlib.sha256(sql.encode()).hexdigest()
        marker = self.root / ".views.sha256"
        db = self.root / "warehouse.duckdb"
        if db.exists() and marker.exists() and marker.read_text() == digest:
            return
        tmp = self.root / "warehouse.duckdb.building"
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            con.execute(sql)
        finally:
            con.close()
        os.replace(tmp, db)
        marker.write_text(digest)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
