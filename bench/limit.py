"""The machine's limit for this work: the core text work over the corpus in one tight loop.

For every file: decode (stages.ingest.extract: bytes to text by format and encoding), traditional to
simplified (stages.fixes.to_simplified), segmentation (stages.terms.cut, rjieba over jieba's
dictionary) and the quantity regex (stages.metrics.QUANTITY). One process, no orchestration, no
sandbox, no landing: what a single core can do when it does nothing else. Throughput is raw file
bytes per second (MB = 10^6 bytes), like the pipeline's.
"""
from __future__ import annotations

import time
from pathlib import Path

from stages.fixes import to_simplified
from stages.ingest import extract
from stages.metrics import QUANTITY
from stages.terms import cut


def text_work(name: str, data: bytes) -> int:
    """The limit's work on one file; returns the number of quantities found (so nothing is skipped)."""
    text = to_simplified(extract(name, data).text)
    cut(text)
    return sum(1 for _ in QUANTITY.finditer(text))


def measure(raw: Path, paths: list[str]) -> tuple[float, int, float]:
    """(MB/s, bytes, seconds) of text_work over the given files, read from disk in the loop."""
    cut("预热")  # load the dictionary before the clock starts, as a long-running worker has it loaded
    total, started = 0, time.perf_counter()
    for rel in paths:
        data = (raw / rel).read_bytes()
        total += len(data)
        text_work(rel, data)
    seconds = time.perf_counter() - started
    return total / 1e6 / seconds, total, seconds
