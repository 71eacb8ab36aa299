"""The records that travel between stages, and the one exception a stage raises to reject a file."""
from __future__ import annotations

from dataclasses import dataclass, field


class Rejected(Exception):
    """A file that cannot land: `reason` is a short code, `detail` a sentence a person can act on."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Extracted:
    """What ingest found in a file: decoded text plus what the page said about itself."""

    source_format: str
    source_encoding: str
    text: str
    page_meta: dict[str, str] = field(default_factory=dict)
    repairs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cleaned:
    """Clean simplified text, the names of the fixes applied, the raw script and parsed header fields."""

    text: str
    repairs: list[str]
    script: str
    header_meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Section:
    section_id: str
    parent_id: str | None
    level: int
    marker: str
    title: str
    canonical: str | None
    char_start: int
    char_end: int


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    issuing_body: str | None = None
    region: str | None = None
    province: str | None = None
    admin_level: str | None = None
    report_year: int | None = None
    publish_date: str | None = None  # ISO date
    doc_number: str | None = None


@dataclass(slots=True)
class Metric:
    section_id: str | None
    sentence: str
    surface: str
    value: float
    unit: str
    approx: str | None
    kind: str
    subject: str | None
    indicator: str | None
    char_start: int
    char_end: int


@dataclass(slots=True)
class Doc:
    """One report as it moves through the pipeline; each stage fills its own fields."""

    report_id: str
    source_path: str
    sha256: str
    size: int
    extracted: Extracted | None = None
    cleaned: Cleaned | None = None
    meta: Metadata | None = None
    sections: list[Section] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    terms: list[tuple[str, float]] = field(default_factory=list)  # top keywords and their TF-IDF weight


@dataclass(slots=True)
class Quarantined:
    source_path: str
    sha256: str
    stage: str
    reason: str
    detail: str
