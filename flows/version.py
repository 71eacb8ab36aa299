"""The version of the pipeline's logic: a hash of the stages, their data and the expectation suites.

Recorded with every landed file; when it changes, the next run reprocesses old reports.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

from flows import PROJECT_ROOT

LOGIC = ("stages/**/*.py", "stages/data/**/*", "expectations/*.json")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    digest = hashlib.sha256()
    for pattern in LOGIC:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
