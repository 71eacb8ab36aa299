"""Encoding and format variants of the held-out reports (tests/variants/make_variants.py), landed by the
real flow next to their originals and scored by the shared scorer: the clean-up must generalize to
reports it was never tuned on, in every encoding and format the shared eval set has.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EVAL, run_pipeline
from tests.variants.make_variants import make, variants, widen

HERE = Path(__file__).parent
REPORTS = sorted([*(HERE / "holdout" / "reports").glob("*.txt"), *(HERE / "holdout2" / "reports").glob("*.txt")])
KINDS = 13
PASS_RATE = 1.0  # measured with seed 0 on all eleven held-out reports


def test_the_generator_does_the_damage_it_names():
    name = REPORTS[0].name
    text = REPORTS[0].read_text(encoding="utf-8")
    made = variants(name, text, seed=0)
    assert len(made) == KINDS and all(entry["source"] == name for _, entry in made.values())
    stem = name.rsplit(".", 1)[0]
    assert made[f"{stem}.gbk.txt"][0].decode("gbk") != text
    assert made[f"{stem}.shifted.txt"][0].decode().count("?") >= text.count("?") + 2
    damaged, entry = made[f"{stem}.utf8asgbk.txt"]
    assert len(entry["lines"]) == 4 and damaged.decode() != widen(text)
    assert "å" in made[f"{stem}.utf8aslatin1.txt"][0].decode()
    assert made[f"{stem}.pdf"][0].startswith(b"%PDF") and made[f"{stem}.docx"][0].startswith(b"PK")
    assert variants(name, text, seed=0) == made  # a fixed seed gives the same files


def test_variants_of_held_out_reports_agree_with_their_originals(prefect_server, tmp_path):
    scorer = EVAL / "score.py"
    if not scorer.is_file():
        pytest.skip(f"no scorer at {scorer}")
    raw = make(REPORTS, tmp_path / "variants", seed=0)
    warehouse = tmp_path / "w"
    run_pipeline(raw, warehouse)
    scored = subprocess.run([sys.executable, str(scorer), "--warehouse", str(warehouse),
                             "--variants", str(tmp_path / "variants"), "--json"],
                            capture_output=True, text=True, check=True)
    result = json.loads(scored.stdout)
    assert len(json.loads((tmp_path / "variants" / "manifest.json").read_text(encoding="utf-8"))) == KINDS * len(REPORTS)
    assert result["figures"]["encoding.pass_rate"] >= PASS_RATE, result["misses"]
