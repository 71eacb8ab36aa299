"""Data Docs: built into the warehouse folder, no remote URL left, styled when opened offline."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from flows import data_docs
from flows.batch import load_suites
from stages import invariants, quality
from tests.conftest import ROOT
from tests.test_quality import SENTENCE, frames_of

REMOTE = re.compile(r"https?://")
LOCAL_LINK = re.compile(r"""(?:src|href)=["'](?!#|data:)([^"']+)["']""")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Docs for one batch whose failing values quote a URL (a report that cites a web page)."""
    root = tmp_path_factory.mktemp("docs")
    case = {"reports": [{"report_id": "cites", "text": "http://example.gov.cn/page " + SENTENCE * 6 + "\ufffd"},
                        {"report_id": "old", "report_year": 1899}]}
    outcome = quality.validate(invariants.derived_frames(frames_of(case)), load_suites())
    data_docs.save_validations(root, "20260101T000000-abcdef", {0: outcome.documents})
    data_docs.build(root)
    return root / "data_docs"


def test_no_page_or_style_names_a_remote_url(site):
    files = pages(site) + sorted((site / "static" / "styles").rglob("*.css"))
    validations = list((site.parent / "validations").glob("*/*.json"))
    assert len(pages(site)) == 1 + len(load_suites()) + len(validations)  # index, suites, validations
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not REMOTE.search(text), f"{path.relative_to(site)}: {REMOTE.search(text)}"
    assert "example.gov.cn" in "".join(p.read_text(encoding="utf-8") for p in pages(site))  # shown, defanged


def test_every_local_link_of_a_page_exists(site):
    for page in pages(site):
        for link in LOCAL_LINK.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / link.split("?")[0].split("#")[0]).resolve()
            assert target.exists(), f"{page.relative_to(site)} links {link}"
    assert (site / "static" / "vendor" / "@fortawesome" / "fontawesome-free" / "webfonts").is_dir()


def test_validations_of_older_runs_are_dropped(tmp_path):
    for n in range(data_docs.KEEP_RUNS + 2):
        data_docs.save_validations(tmp_path, f"2026010{n}T000000-run", {0: [{"suite_name": "reports"}]})
    kept = sorted(p.name for p in (tmp_path / "validations").iterdir())
    assert kept == [f"2026010{n}T000000-run" for n in range(2, data_docs.KEEP_RUNS + 2)]


def test_a_seeds_run_leaves_docs_in_the_warehouse(seeds_warehouse):
    site = seeds_warehouse / "data_docs"
    assert (site / "index.html").is_file()
    suites = {p.name for p in (site / "validations").iterdir()}
    assert suites == {s["name"] for s in load_suites()}
    for page in pages(site):
        assert not REMOTE.search(page.read_text(encoding="utf-8")), page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_index_opens_styled_in_headless_chromium(site, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from data_docs_screenshot import probe, screenshot

    seen = probe(site / "index.html")
    assert seen["jquery"] == "function" and seen["bootstrapTable"] and seen["bootstrapJs"]
    assert seen["vegaEmbed"] == "function"
    assert seen["navDisplay"] == "flex"  # Bootstrap's .nav; unstyled it is a block
    assert "Font Awesome" in seen["iconFont"]
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    shot = screenshot(site / "index.html", tmp_path / "docs.png", size="1280,900")
    assert shot.stat().st_size > 5 * screenshot(blank, tmp_path / "blank.png", size="1280,900").stat().st_size


def test_a_build_renders_only_the_new_run_and_drops_runs_no_longer_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(data_docs, "KEEP_RUNS", 2)
    documents = quality.validate(invariants.derived_frames(frames_of({"reports": [{"report_id": "r"}]})),
                                 load_suites()).documents
    site = tmp_path / "data_docs"
    for run in ("20260101T000000-first", "20260102T000000-second"):
        data_docs.save_validations(tmp_path, run, {0: documents, 1: documents})
        data_docs.build(tmp_path)
        if run.endswith("first"):
            carried = sorted(site.glob(f"validations/*/{run}/*/*.html"))
            carried[0].write_text(carried[0].read_text(encoding="utf-8") + "<!-- kept -->", encoding="utf-8")
    assert len(carried) == 2 * len(documents)
    assert carried[0].read_text(encoding="utf-8").endswith("<!-- kept -->")  # carried over, not rendered again
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "20260101T000000-first" in index and "20260102T000000-second" in index
    data_docs.save_validations(tmp_path, "20260103T000000-third", {0: documents})
    data_docs.build(tmp_path)
    assert not list(site.glob("validations/*/20260101T000000-first"))
    assert "20260101T000000-first" not in (site / "index.html").read_text(encoding="utf-8")
    assert len(pages(site)) == 1 + len(load_suites()) + 3 * len(documents)
    for page in pages(site):
        assert not REMOTE.search(page.read_text(encoding="utf-8")), page


def test_a_run_shows_its_failing_batches_first_up_to_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(data_docs, "MAX_PAGES_PER_RUN", 2)
    for batch, success in enumerate([True, False, True, False, True]):
        (tmp_path / f"{batch:06d}-reports.json").write_text(json.dumps({"success": success}), encoding="utf-8")
    assert data_docs.shown(tmp_path) == ["000001-reports.json", "000003-reports.json"]
    monkeypatch.setattr(data_docs, "MAX_PAGES_PER_RUN", 3)
    assert data_docs.shown(tmp_path) == ["000001-reports.json", "000003-reports.json", "000000-reports.json"]
