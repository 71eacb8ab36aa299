"""The benchmark's corpus and limit loop (the benchmark itself is run by hand: `fazhi bench`)."""
from __future__ import annotations

import doctest
import sys
from collections import Counter

import pytest

from flows import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))
from bench import corpus, limit  # noqa: E402
from stages.ingest import extract  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("bench") / "raw"
    return raw, corpus.Corpus(raw, seed=3, pool=2).build(0, 120)


def test_doctests():
    assert doctest.testmod(corpus).failed == 0


def test_every_file_is_distinct_and_readable(built):
    raw, files = built
    data = [(raw / f.path).read_bytes() for f in files]
    assert len(set(data)) == len(files)
    for f, raw_bytes in zip(files, data, strict=True):
        got = extract(f.path, raw_bytes)
        assert got.source_format == f.fmt
        assert "法治" in limit.to_simplified(got.text)


def test_formats_come_in_the_planned_shares(built):
    _, files = built
    shares = Counter(f.fmt for f in files)
    assert shares["html"] > shares["pdf"] and shares["txt"] > shares["docx"]
    assert {"html", "txt", "pdf", "docx"} <= set(shares)
    assert {"utf-8", "gbk", "big5"} <= {f.encoding for f in files}


def test_reports_vary_in_place_year_and_figures(built):
    raw, files = built
    same_source = [f for f in files if f.fmt == "txt" and f.encoding == "utf-8"
                   and "changting" in f.path][:2]
    if len(same_source) < 2:
        pytest.skip("the seed gave fewer than two UTF-8 texts of one sample")
    a, b = ((raw / f.path).read_text(encoding="utf-8") for f in same_source)
    assert a != b and len(a.splitlines()) == len(b.splitlines())


def test_file_i_depends_only_on_seed_and_i(built, tmp_path):
    raw, files = built
    again = corpus.Corpus(tmp_path, seed=3, pool=2).build_file(7)
    assert (tmp_path / again.path).read_bytes() == (raw / files[7].path).read_bytes()


def test_limit_loop_reads_the_corpus(built):
    raw, files = built
    mb_per_s, total, seconds = limit.measure(raw, [f.path for f in files[:20]])
    assert total == sum(f.size for f in files[:20]) and mb_per_s > 0 and seconds > 0
