"""Run a parser over one untrusted file in a child process, with a time limit.

Batch tasks run in worker threads (Prefect's thread pool) or in Dask worker processes, where
`signal.alarm` cannot interrupt them and `multiprocessing` may not start children (daemonic
workers). A plain child interpreter (`python -m flows.isolation`) works in all of these: it serves
calls one by one, and when a call overruns it is killed and a fresh one is started for the next file.

The request (function, arguments) goes to the child pickled; the answer comes back as JSON, so a
child that a hostile file subverted cannot make the parent run code.
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import time
import traceback
from pathlib import Path

from stages.records import Rejected

HEADER = struct.Struct("<Q")
START_SECONDS = 120  # a busy 2-core machine can take long to start an interpreter; never counted per file


class Sandbox:
    """One child process at a time; use as a context manager so the child is always reaped."""

    def __init__(self, seconds: float, max_mb: float = 1024, preload: tuple[str, ...] = ("stages.safety",)):
        self.seconds = seconds
        self.max_mb = max_mb  # the child's address space; a parser that needs more fails in the child
        self.preload = preload  # modules the child imports before it says it is ready
        self._child: subprocess.Popen | None = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def call(self, function: str, *args, what: str = "the file") -> dict | list | str | int | float | None:
        """`module:function(*args)` in the child; dataclass results come back as dicts.

        Raises Rejected as the function raised it, `timeout` when it ran past the limit, and
        `reader_crashed` when the child died (a parser crash, the kernel's OOM killer).
        """
        child = self._child or self._start()
        try:
            _send(child.stdin, pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL))
            answer = _receive(child.stdout, time.monotonic() + self.seconds)
        except TimeoutError:
            self.close()
            raise Rejected("timeout", f"reading {what} took longer than {self.seconds:g} s "
                           "(limits.per_file_seconds) and was stopped; the file may be malformed: "
                           "re-export it, or raise the limit if it is a genuine, very large report") from None
        except (EOFError, BrokenPipeError, OSError):
            code = self.close()
            raise Rejected("reader_crashed", f"the reader crashed on {what} (exit code {code}); the file is "
                           "probably damaged: re-export it, and report it to the fazhi developers "
                           "if it opens fine elsewhere") from None
        reply = json.loads(answer)
        if "rejected" in reply:
            raise Rejected(*reply["rejected"])
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["ok"]

    def _start(self) -> subprocess.Popen:
        """A fresh child, ready to serve: its start-up and imports are not charged to any file."""
        self._child = subprocess.Popen([sys.executable, "-m", "flows.isolation", str(self.max_mb), *self.preload],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       cwd=Path(__file__).resolve().parents[1])
        try:
            _receive(self._child.stdout, time.monotonic() + START_SECONDS)
        except (TimeoutError, EOFError, OSError) as exc:
            code = self.close()
            raise RuntimeError(f"the parser sandbox did not start (exit code {code})") from exc
        return self._child

    def close(self) -> int | None:
        child, self._child = self._child, None
        if child is None:
            return None
        if child.poll() is None:
            child.kill()
        for stream in (child.stdin, child.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return child.wait()


def _send(stream, payload: bytes) -> None:
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_exactly(fd: int, n: int, deadline: float | None) -> bytes:
    parts, left = [], n
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _receive(stream, deadline: float | None) -> bytes:
    fd = stream.fileno()
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size, deadline))
    return _read_exactly(fd, size, deadline)


def _answer(function: str, args: tuple, max_mb: float) -> dict:
    module, name = function.split(":")
    try:
        result = getattr(importlib.import_module(module), name)(*args)
    except Rejected as exc:
        return {"rejected": [exc.reason, exc.detail]}
    except MemoryError:
        return {"rejected": ["out_of_memory", f"reading the file needed more than {max_mb:g} MB "
                             "(limits.max_parser_mb); it may be malformed: re-export it, or raise the limit "
                             "if it is a genuine report"]}
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return {"error": f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"}
    return {"ok": dataclasses.asdict(result) if dataclasses.is_dataclass(result) else result}


def serve(max_mb: float, preload: list[str]) -> None:
    """The child's loop: keep the protocol on a private copy of stdout, send stray prints to stderr."""
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    limit = int(max_mb * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for module in preload:
        importlib.import_module(module)
    _send(replies, b"ready")
    while True:
        try:
            function, args = pickle.loads(_receive(requests, None))
        except EOFError:
            return
        _send(replies, json.dumps(_answer(function, args, max_mb), ensure_ascii=False).encode())


if __name__ == "__main__":
    serve(float(sys.argv[1]), sys.argv[2:])
