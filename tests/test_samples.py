"""raw/ is exactly what tests/samples/make_raw.py builds from tests/samples/src/, and stays in the genre's bounds."""
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW

sys.path.insert(0, str(Path(__file__).parent / "samples"))
import make_raw  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    make_raw.build(out)
    return out


def test_raw_holds_only_generated_reports(built):
    expected = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    present = {p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file()}
    assert present == expected


@pytest.mark.parametrize("sample", make_raw.SAMPLES, ids=lambda s: s.out)
def test_raw_file_is_up_to_date(built, sample):
    assert (RAW / sample.out).read_bytes() == (built / sample.out).read_bytes(), \
        "raw/ is stale: run .venv/bin/python tests/samples/make_raw.py"


@pytest.mark.parametrize("sample", make_raw.SAMPLES, ids=lambda s: s.src)
def test_source_length_is_in_genre_bounds(sample):
    text = (make_raw.SRC / f"{sample.src}.txt").read_text(encoding="utf-8")
    assert 2000 <= len(re.findall(r"[\u4e00-\u9fff]", text)) <= 5000
