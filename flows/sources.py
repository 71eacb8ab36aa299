"""Finding the files under RAW_DIR, reading them safely, and deciding which need processing."""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from stages.records import Quarantined, Rejected


@dataclass(slots=True)
class FileRef:
    source_path: str  # relative to RAW_DIR, with forward slashes
    size: int
    mtime_ns: int
    sha256: str = ""


@dataclass
class Plan:
    """What a run must do: files to process, state carried over, rows that leave the warehouse."""

    seen: int = 0
    todo: list[FileRef] = field(default_factory=list)
    carried: list[dict] = field(default_factory=list)  # sources rows of unchanged files
    carried_quarantine: set[str] = field(default_factory=set)  # their paths, if quarantined
    settled: list[tuple[FileRef, Quarantined]] = field(default_factory=list)  # quarantined without processing
    drop_reports: set[str] = field(default_factory=set)


def walk(raw_dir: Path) -> tuple[list[FileRef], list[tuple[FileRef, Quarantined]]]:
    """Every regular file below raw_dir, never following symbolic links (those are quarantined)."""
    files: list[FileRef] = []
    refused: list[tuple[FileRef, Quarantined]] = []
    stack = [raw_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            rel = _rel(raw_dir, Path(folder))
            refused.append((FileRef(rel, 0, 0), Quarantined(rel, "", "ingest", "unreadable_folder",
                                                           f"the folder cannot be listed ({exc.strerror})")))
            continue
        for entry in entries:
            rel = _rel(raw_dir, Path(entry.path))
            if entry.is_symlink():
                refused.append((FileRef(rel, 0, 0), Quarantined(
                    rel, "", "ingest", "symlink",
                    "symbolic links are never followed; copy the file itself into the raw folder")))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                files.append(FileRef(rel, st.st_size, st.st_mtime_ns))
            else:  # a named pipe, socket or device: never opened (reading a pipe would block the run)
                refused.append((FileRef(rel, 0, 0), Quarantined(
                    rel, "", "ingest", "not_a_file",
                    "this is a named pipe, socket or device, not a file; remove it from the raw folder")))
    files.sort(key=lambda f: f.source_path)
    return files, refused


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def read_file(raw_dir: Path, ref: FileRef, max_bytes: int) -> bytes:
    """The file's bytes, refusing links, oversize files and files that changed since they were planned."""
    path = raw_dir / ref.source_path
    try:
        fd = _open_file(path)
    except FileNotFoundError as exc:
        raise Rejected("vanished", "the file disappeared during the run; it is retried by the next run") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Rejected("symlink", "the file was replaced by a symbolic link during the run; links are never "
                           "followed: copy the file itself into the raw folder") from exc
        if exc.errno == errno.EINVAL:
            raise Rejected("not_a_file", "this is a named pipe, socket or device, not a file; "
                           "remove it from the raw folder") from exc
        raise Rejected("unreadable", f"the file cannot be opened ({exc.strerror}); check its permissions") from exc
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not _inside(raw_dir, handle.fileno()):
            raise Rejected("outside_raw_dir", "a folder on the file's path was replaced by a link to somewhere "
                           "outside the raw folder during the run; nothing was read: check who changed it")
        if st.st_size > max_bytes:
            raise Rejected("too_large", f"{st.st_size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                                        "(limits.max_file_mb); split the file or raise the limit")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Rejected("too_large", "the file grew past the size limit while it was read")
    if ref.sha256 and hashlib.sha256(data).hexdigest() != ref.sha256:
        raise Rejected("changed_during_run", "the file changed while the run read it; the next run takes it up")
    return data


def _open_file(path: Path) -> int:
    """Open for reading without following a final symbolic link and without blocking on a pipe."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return fd


def _inside(raw_dir: Path, fd: int) -> bool:
    """Whether the opened file really lies below raw_dir (a folder swapped for a link would lead out)."""
    try:
        real = Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:  # no /proc: the walk already refused links, and the final component is O_NOFOLLOW
        return True
    return real.is_relative_to(raw_dir.resolve())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(_open_file(path), "rb", buffering=0) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def report_id(sha256: str) -> str:
    """The stable id of a report: the start of the SHA-256 of its raw bytes."""
    return sha256[:16]


def plan(raw_dir: Path, state: list[dict], version: str, full_refresh: bool, path_filter: str | None,
         held: dict[str, str] | None = None) -> Plan:
    """Compare the files under raw_dir with the last run's `sources` rows.

    held: the reason each quarantined path was held for (the quarantine table), so a refusal that
    still stands (a symbolic link, an unlistable folder) is carried instead of counted as new.
    """
    files, refused = walk(raw_dir)
    held = held or {}
    selected = [f for f in files if not path_filter or fnmatch.fnmatch(f.source_path, path_filter)]
    old = {row["source_path"]: row for row in state}
    out = Plan(seen=len(selected) + len(refused))
    present = {f.source_path for f in files} | {r.source_path for r, _ in refused}
    in_scope = {f.source_path for f in selected} | {r.source_path for r, _ in refused}
    for path, row in old.items():  # files outside the filter keep their state; vanished ones leave
        if path not in in_scope and (path in present or (path_filter and not fnmatch.fnmatch(path, path_filter))):
            _carry(out, row)
        elif path not in present and row["status"] == "landed":
            out.drop_reports.add(row["report_id"])
    for ref, q in refused:
        row = old.get(ref.source_path)
        if _fresh(row, version, full_refresh) and row["status"] == "quarantined" and held.get(ref.source_path) == q.reason:
            _carry(out, row)
        else:
            out.settled.append((ref, q))
    candidates: list[FileRef] = []
    duplicates: list[tuple[FileRef, dict]] = []  # decided once every carried owner is known
    for ref in selected:
        row = old.get(ref.source_path)
        fresh = _fresh(row, version, full_refresh)
        if fresh and (row["size"], row["mtime_ns"]) == (ref.size, ref.mtime_ns):
            if row["status"] == "duplicate":
                ref.sha256 = row["sha256"]
                duplicates.append((ref, row))
            else:
                _carry(out, row)
            continue
        try:
            ref.sha256 = sha256_of(raw_dir / ref.source_path)
        except OSError as exc:
            out.settled.append((ref, Quarantined(ref.source_path, "", "ingest", "unreadable",
                                                 f"the file cannot be read ({exc.strerror})")))
            continue
        if fresh and row["sha256"] == ref.sha256:
            if row["status"] == "duplicate":
                duplicates.append((ref, row))
            else:
                _carry(out, {**row, "size": ref.size, "mtime_ns": ref.mtime_ns})
            continue
        if row is not None and row["status"] == "landed":
            out.drop_reports.add(row["report_id"])
        candidates.append(ref)
    owners = {row["sha256"]: row["source_path"] for row in out.carried if row["status"] == "landed"}
    for ref, row in duplicates:  # still a copy of a report that stays landed: nothing to do
        if owners.get(ref.sha256, ref.source_path) != ref.source_path:
            _carry(out, {**row, "size": ref.size, "mtime_ns": ref.mtime_ns})
        else:
            candidates.append(ref)
    for ref in sorted(candidates, key=lambda r: r.source_path):
        owner = owners.get(ref.sha256)
        if owner is not None and owner != ref.source_path:
            out.settled.append((ref, Quarantined(ref.source_path, ref.sha256, "ingest", "duplicate",
                                                 f"the same bytes already landed as {owner}; this copy is not "
                                                 "landed twice")))
            continue
        owners[ref.sha256] = ref.source_path
        out.todo.append(ref)
    return out


def _fresh(row: dict | None, version: str, full_refresh: bool) -> bool:
    """Whether a file's last state may be kept: processed by this pipeline version, no full refresh."""
    return row is not None and not full_refresh and row["pipeline_version"] == version


def _carry(out: Plan, row: dict) -> None:
    out.carried.append(row)
    if row["status"] != "landed":
        out.carried_quarantine.add(row["source_path"])
