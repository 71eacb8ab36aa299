"""A benchmark corpus: N reports varied from the project's own samples (tests/samples/src).

Each report takes one sample text and changes its place (a county, city or province of the same
kind, from stages/data/regions.tsv), its years (shifted together, so the report year and the signing
year stay one apart) and its figures (all counts scaled by one factor, so sub-items stay below their
totals; rates stay as written). It is then built into a format and encoding with the very functions
that build raw/ (tests/samples/make_raw.py), in the shares of KINDS: mostly HTML and plain text,
some PDF and Word. Building a PDF or a .docx takes 0.1–0.2 s, so those come from a pool of at most
`pool` distinct documents per format, each copy made unique by a trailing PDF comment or a zip
comment (the pipeline deduplicates identical bytes, so every file must differ).

File i depends only on (seed, i), so a corpus can be extended (the nightly benchmark adds files
N..N+k) and rebuilt identically.
"""
from __future__ import annotations

import io
import json
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "samples"))
import make_raw  # noqa: E402  (tests/samples is not a package; its builders are reused, not copied)

REGIONS = ROOT / "stages" / "data" / "regions.tsv"
CORPUS_VERSION = 2  # bump when the output of build_file changes

# sample -> (its year, the place name to replace, the kind of place that replaces it)
SOURCES = {
    "changsha-sifaju-2019": (2019, "长沙市", "prefecture"),
    "changting-2020": (2020, "长汀县", "county"),
    "guicheng-2024": (2024, "南海区", "district"),
    "luanchuan-2022": (2022, "栾川县", "county"),
    "pidu-2023": (2023, "郫都区", "district"),
    "shushan-scjgj-2023": (2023, "蜀山区", "district"),
    "suzhou-2022": (2022, "苏州市", "prefecture"),
    "zhejiang-2021": (2021, "浙江省", "province"),
}


@dataclass(frozen=True)
class Kind:
    share: float
    sample: make_raw.Sample  # format, encoding and layout; src and out are filled per report
    suffix: str


KINDS = [
    Kind(0.30, make_raw.Sample("", "", "html", page="zhejiang"), "html"),
    Kind(0.15, make_raw.Sample("", "", "html", encoding="gbk", page="shushan"), "html"),
    Kind(0.20, make_raw.Sample("", "", "txt"), "txt"),
    Kind(0.10, make_raw.Sample("", "", "txt", encoding="gbk", newline="\r\n", indent="\u3000\u3000"), "txt"),
    Kind(0.05, make_raw.Sample("", "", "txt", encoding="utf-8-sig", newline="\r\n", blank_lines=True), "txt"),
    Kind(0.05, make_raw.Sample("", "", "txt", encoding="big5", newline="\r\n", traditional=True), "txt"),
    Kind(0.10, make_raw.Sample("", "", "pdf"), "pdf"),
    Kind(0.05, make_raw.Sample("", "", "docx"), "docx"),
]
YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-3]\d)(?!\d)")
# a count: digits not part of a date, a document number, an ordinal or a decimal/list marker
COUNT = re.compile(r"(?<![\d.．〔第])\d+(?:\.\d+)?(?![\d.．月日号时:：\-—/〕年])(?!%|个百分点)")
PLACE_SUFFIX = {"county": "县", "district": "区", "prefecture": "市", "province": "省"}


def shift_years(text: str, delta: int) -> str:
    """Every year-like number moved by `delta`.

    >>> shift_years("2022年度报告，苏府〔2023〕21号", -3)
    '2019年度报告，苏府〔2020〕21号'
    """
    return YEAR.sub(lambda m: str(int(m.group()) + delta), text)


def scale_counts(text: str, factor: float) -> str:
    """Counts multiplied by `factor` (at least 1, decimals kept); dates, rates and ordinals untouched.

    >>> scale_counts("受理案件120件，办结98.5%，第3次会议于3月8日召开，审结100件", 2.0)
    '受理案件240件，办结98.5%，第3次会议于3月8日召开，审结200件'
    """
    def scaled(m: re.Match) -> str:
        number = m.group()
        if "." in number:
            decimals = len(number.split(".")[1])
            return f"{float(number) * factor:.{decimals}f}"
        return str(max(1, round(int(number) * factor)))

    return COUNT.sub(scaled, text)


@lru_cache(maxsize=1)
def places() -> dict[str, list[str]]:
    """Place names by kind, from the divisions table (code, name per line)."""
    out: dict[str, list[str]] = {kind: [] for kind in PLACE_SUFFIX}
    for line in REGIONS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        code, name = line.split("\t")[:2]
        if code.endswith("0000"):
            kind = "province"
        elif code.endswith("00"):
            kind = "prefecture"
        else:
            kind = "district" if name.endswith("区") else "county"
        if name.endswith(PLACE_SUFFIX[kind]) and len(name) >= 3 and _encodable(name, "gbk"):
            out[kind].append(name)
    return out


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def traditional_places() -> dict[str, str]:
    """Place names in traditional characters that Big5 can encode (one OpenCC pass: 0.3 s per call)."""
    names = sorted({n for kind in places().values() for n in kind} | {p for _, p, _ in SOURCES.values()})
    converted = make_raw.to_traditional("\n".join(names), "big5").split("\n")
    return {n: t for n, t in zip(names, converted, strict=True) if _encodable(t, "big5")}


@lru_cache(maxsize=None)
def traditional_text(src: str) -> str:
    text = (make_raw.SRC / f"{src}.txt").read_text(encoding="utf-8")
    return make_raw.to_traditional(text, "big5")


def varied_lines(src: str, rng: random.Random, traditional: bool) -> tuple[list[str], int]:
    """One sample's text with a new place, years and figures; and the year it is now about."""
    base_year, place, kind = SOURCES[src]
    candidates = places()[kind]
    if traditional:
        candidates = [p for p in candidates if p in traditional_places()]
    new_place = rng.choice(candidates)
    text = (make_raw.SRC / f"{src}.txt").read_text(encoding="utf-8")
    if traditional:  # convert once per sample; place names come converted from one table
        text, place, new_place = traditional_text(src), traditional_places()[place], traditional_places()[new_place]
    text = text.replace(place, new_place)
    year = rng.randint(2015, 2024)
    text = shift_years(text, year - base_year)
    text = scale_counts(text, rng.uniform(0.4, 2.5))
    return [line.strip() for line in text.splitlines() if line.strip()], year


def pick_kind(rng: random.Random) -> Kind:
    return rng.choices(KINDS, weights=[k.share for k in KINDS])[0]


def file_rng(seed: int, i: int) -> random.Random:
    return random.Random(seed * 1_000_003 + i)


def unique_copy(data: bytes, fmt: str, tag: str) -> bytes:
    """Pooled PDF/Word bytes made unique without changing their text: a PDF comment after %%EOF, a zip comment."""
    if fmt == "pdf":
        return data + f"%fazhi-bench {tag}\n".encode()
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = f"fazhi-bench {tag}".encode()
    return buffer.getvalue()


@dataclass
class Built:
    path: str
    fmt: str
    encoding: str
    size: int


class Corpus:
    """Writes files i of a corpus under `raw`; PDF and Word documents come from a bounded pool."""

    def __init__(self, raw: Path, seed: int = 8, pool: int = 40):
        self.raw, self.seed, self.pool = raw, seed, pool
        self._pooled: dict[tuple[str, int], tuple[bytes, int]] = {}

    def build_file(self, i: int) -> Built:
        rng = file_rng(self.seed, i)
        kind = pick_kind(rng)
        src = rng.choice(sorted(SOURCES))
        sample = kind.sample
        fmt = sample.fmt
        if fmt in ("pdf", "docx"):
            slot = rng.randrange(self.pool)
            key = (fmt, slot)
            if key not in self._pooled:
                pool_rng = file_rng(self.seed, -1 - slot - (self.pool if fmt == "docx" else 0))
                pool_src = pool_rng.choice(sorted(SOURCES))
                lines, year = varied_lines(pool_src, pool_rng, False)
                self._pooled[key] = make_raw.MAKERS[fmt](lines, sample), year
            pooled, year = self._pooled[key]
            data = unique_copy(pooled, fmt, f"{self.seed}-{i}")
        else:
            lines, year = varied_lines(src, rng, sample.traditional)
            data = make_raw.MAKERS[fmt](lines, sample)
        rel = f"{year}/{i // 1000:03d}/{src}-{i:06d}.{kind.suffix}"
        path = self.raw / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return Built(rel, fmt, sample.encoding, len(data))

    def build(self, start: int, stop: int) -> list[Built]:
        return [self.build_file(i) for i in range(start, stop)]


def ensure_corpus(workdir: Path, n: int, seed: int = 8, pool: int = 40) -> tuple[Path, list[Built], float]:
    """The corpus of files 0..n-1 under workdir/raw, built unless a matching one is there already.

    Returns (raw folder, the files, seconds spent building). The manifest sits beside raw/, not in it.
    """
    import time

    raw, manifest = workdir / "raw", workdir / "corpus.json"
    key = {"version": CORPUS_VERSION, "n": n, "seed": seed, "pool": pool}
    if manifest.exists():
        stored = json.loads(manifest.read_text(encoding="utf-8"))
        if stored["key"] == key and raw.is_dir():
            return raw, [Built(**f) for f in stored["files"]], 0.0
    import shutil

    shutil.rmtree(raw, ignore_errors=True)
    started = time.perf_counter()
    files = Corpus(raw, seed, pool).build(0, n)
    seconds = time.perf_counter() - started
    manifest.write_text(json.dumps({"key": key, "files": [vars(f) for f in files]}), encoding="utf-8")
    return raw, files, seconds
