"""Data Docs: Great Expectations' pages over the latest runs' validation results, readable offline.

Built into the warehouse folder after each run:
  validations/<run_id>/<n>-<suite>.json   the GX results of one run's batches (the last KEEP_RUNS runs)
  data_docs/index.html                    the site: suites, and the kept runs' validation results
  data_docs/static/vendor/<package>/...   Bootstrap, jQuery, Vega, ... copied from node_modules
  data_docs/rendered.json                 the results the site holds pages for, by run

Each build renders only what is new: the suites, the index and the latest run's pages; the pages of the
earlier kept runs are carried over from the previous site (and dropped with their run). A run gets at
most MAX_PAGES_PER_RUN validation pages, failing batches first: a run over 100,000 files has hundreds
of batches, and every batch's results stay in validations/ and in the quality_results table.

GX's pages load their scripts and styles from CDNs and the logo from a remote bucket. Here every such
link is pointed at a local copy taken from the npm packages that package.json pins (installed by
`make setup`), anchors to GX's web site are dropped, and any other URL left in a page (one quoted
from a report, say) is defanged, so no page reaches the network.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from functools import partial
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import PROJECT_ROOT
from flows.batch import load_suites
from stages import quality

NODE_MODULES = PROJECT_ROOT / "node_modules"
KEEP_RUNS = 5
MAX_PAGES_PER_RUN = 50
SITE = "data_docs"
RENDERED = "rendered.json"

# remote asset (a pattern of the URLs GX writes) -> file under node_modules, and folders it needs beside it
ASSETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"https://maxcdn\.bootstrapcdn\.com/bootstrap/4\.3\.1/css/bootstrap\.min\.css",
     "bootstrap/dist/css/bootstrap.min.css", ()),
    (r"https://stackpath\.bootstrapcdn\.com/bootstrap/4\.3\.1/js/bootstrap\.min\.js",
     "bootstrap/dist/js/bootstrap.min.js", ()),
    (r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js", "jquery/dist/jquery.min.js", ()),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/popper\.js/[\d.]+/umd/popper\.min\.js",
     "popper.js/dist/umd/popper.min.js", ()),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.(css|js)",
     r"bootstrap-table/dist/bootstrap-table.min.\1", ()),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/"
     r"bootstrap-table-filter-control(?:\.min)?\.(css|js)",
     r"bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.\1", ()),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/1\.9\.0/(css|js)/bootstrap-datepicker\.min\.(css|js)",
     r"bootstrap-datepicker/dist/\1/bootstrap-datepicker.min.\2", ()),
    (r"https://cdn\.jsdelivr\.net/npm/@forevolve/bootstrap-dark@1\.1\.0/dist/css/bootstrap-prefers-dark\.css",
     "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css", ()),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/6\.6\.0/css/all\.min\.css",
     "@fortawesome/fontawesome-free/css/all.min.css", ("@fortawesome/fontawesome-free/webfonts",)),
    (r"https://cdn\.jsdelivr\.net/npm/(vega|vega-lite|vega-embed)@\d+", r"\1/build/\1.min.js", ()),
)
# GX's logo from its bucket -> the copy GX itself writes into the site
LOGO = re.compile(r"https://great-expectations-web-assets\.s3[\w.-]*\.amazonaws\.com/[\w.-]+\.png(?:\?[^\"')\s]*)?")
LOCAL_LOGO = "images/logo-long.png"
REMOTE_ANCHOR = re.compile(r"""(<a\b[^>]*?)\shref=(["'])https?://[^"']*\2""")
ANY_URL = re.compile(r"(https?)://")
STATIC_LINK = re.compile(r"""(=["'])(?:\./|(?:\.\./)+)?static/""")  # GX links the favicon a level short
# subresource-integrity pins of the CDN files: a local copy is fetched from file://, where a
# crossorigin request fails, and popper is a newer patch release than the pinned one
INTEGRITY = re.compile(r"""\s(?:integrity|crossorigin)=(["'])[^"']*\1""")
ASSET_TAG = re.compile(r"""<(?:script|link|img)\b[^>]*?(?:src|href)=["']https?://[^"']*""")


class MissingAssets(RuntimeError):
    """The npm packages that hold the pages' assets are not installed (run `make setup`)."""


class UnmappedAsset(RuntimeError):
    """A page loads a remote asset this module has no local copy for (a new GX version?)."""


def save_validations(root: Path, run_id: str, documents: dict[int, list[dict]]) -> None:
    """Keep one run's GX results (batch index -> results) beside the warehouse; drop the runs older
    than the last KEEP_RUNS."""
    folder = root / "validations" / run_id
    for batch, docs in documents.items():
        for doc in docs:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{batch:06d}-{doc['suite_name']}.json").write_text(
                json.dumps(doc, ensure_ascii=False, default=str), encoding="utf-8")
    runs = sorted(p for p in (root / "validations").glob("*") if p.is_dir()) if (root / "validations").is_dir() else []
    for old in runs[:-KEEP_RUNS]:
        shutil.rmtree(old, ignore_errors=True)


def shown(run: Path) -> list[str]:
    """The result files of one run that get a page: failing ones first, then in batch order, up to the cap."""
    paths = sorted(run.glob("*.json"))
    failing = [p for p in paths if json.loads(p.read_text(encoding="utf-8")).get("success") is False]
    return [p.name for p in (failing + [p for p in paths if p not in failing])[:MAX_PAGES_PER_RUN]]


def _carry_over(site: Path, building: Path, runs: list[str]) -> dict[str, list[str]]:
    """Copy the previous site into `building`, without the runs no longer kept; return what it renders."""
    manifest = site / RENDERED
    if not manifest.is_file():
        return {}  # no site yet, or one from before manifests: build everything
    rendered = {run: names for run, names in json.loads(manifest.read_text(encoding="utf-8")).items() if run in runs}
    shutil.copytree(site, building, symlinks=True)
    for page_folder in (building / "validations").glob("*/*"):  # validations/<suite>/<run>/...
        if page_folder.name not in rendered:
            shutil.rmtree(page_folder, ignore_errors=True)
    return rendered


def build(root: Path) -> Path:
    """Build the site from the committed suites and the kept validation results; return its index."""
    if not NODE_MODULES.is_dir():
        raise MissingAssets(f"no {NODE_MODULES}: run `make setup` (npm ci) to install the Data Docs assets")
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    building, site = root / f"{SITE}.building", root / SITE
    shutil.rmtree(building, ignore_errors=True)
    runs = sorted(p for p in (root / "validations").glob("*") if p.is_dir())
    carried = _carry_over(site, building, [r.name for r in runs])
    fresh = {r.name: shown(r) for r in runs if r.name not in carried}
    schema = ExpectationSuiteValidationResultSchema()
    with quality.LOCK:
        ctx = quality.context()
        if SITE in ctx.get_config().data_docs_sites:
            ctx.delete_data_docs_site(SITE)
        ctx.add_data_docs_site(SITE, {
            "class_name": "SiteBuilder", "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(building)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_cta_footer": False}})
        new = [ExpectationSuiteIdentifier(ctx.suites.add_or_update(quality.build_suite(spec)).name)
               for spec in load_suites()]
        store = ctx.validation_results_store
        for key in store.list_keys():  # the process's context may hold another warehouse's results
            store.remove_key(key)
        for run_name, names in sorted((carried | fresh).items()):
            run = RunIdentifier(run_name=run_name, run_time=_run_time(run_name))
            for name in names:
                doc = json.loads((root / "validations" / run_name / name).read_text(encoding="utf-8"))
                if run_name in carried:  # its page exists: the index needs only its outcome and batch
                    doc["results"] = []
                result = schema.load(doc)
                key = ValidationResultIdentifier(ExpectationSuiteIdentifier(result.suite_name), run,
                                                 f"batch-{name.split('-')[0]}")
                store.set(key, result)
                if run_name in fresh:
                    new.append(key)
        ctx.build_data_docs(site_names=[SITE], resource_identifiers=new)
        ctx.delete_data_docs_site(SITE)
    localize(building)
    (building / RENDERED).write_text(json.dumps(carried | fresh, indent=1), encoding="utf-8")
    old = root / f"{SITE}.old"
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(building, site)
    shutil.rmtree(old, ignore_errors=True)
    return site / "index.html"


def _run_time(run_id: str) -> dt.datetime | None:
    """When a run started, from its id (20261122T200725-df1ea7)."""
    try:
        return dt.datetime.strptime(run_id.split("-")[0], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def localize(site: Path) -> None:
    """Point every remote asset of the site's pages and styles at a local copy; leave no URL behind.

    A page without a URL was localized by an earlier build (the last step defangs every URL) and is left as is.
    """
    for page in list(site.rglob("*.html")) + list((site / "static").rglob("*.css")):
        to_static = Path(os.path.relpath(site / "static", page.parent)).as_posix()
        text = page.read_text(encoding="utf-8")
        if not ANY_URL.search(text):
            continue
        for pattern, target, extras in ASSETS:
            text = re.sub(pattern, partial(_vendor, site, target, extras, to_static), text)
        text = LOGO.sub(f"{to_static}/{LOCAL_LOGO}", text)
        text = REMOTE_ANCHOR.sub(r"\1", text)
        text = INTEGRITY.sub("", text)
        text = STATIC_LINK.sub(rf"\g<1>{to_static}/", text)
        unmapped = ASSET_TAG.search(text)
        if unmapped:
            raise UnmappedAsset(f"{page.relative_to(site)} loads {unmapped.group()!r}; map it in flows/data_docs.py")
        text = ANY_URL.sub(r"\1[:]//", text)  # a URL quoted in a value shows as text, not as a link
        page.write_text(text, encoding="utf-8")


def _vendor(site: Path, target: str, extras: tuple[str, ...], to_static: str, match: re.Match) -> str:
    """Copy one package file (and the folders it needs) into the site; return its link from the page."""
    path, vendor = match.expand(target), site / "static" / "vendor"
    for item in (path, *extras):
        _copy(NODE_MODULES / item, vendor / item)
    return f"{to_static}/vendor/{path}"


def _copy(source: Path, dest: Path) -> None:
    if dest.exists():
        return
    if not source.exists():
        raise MissingAssets(f"{source} is missing: run `make setup` (npm ci)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, dest)
    else:
        shutil.copy2(source, dest)


@task(name="data-docs", cache_policy=NO_CACHE)  # never cached; its input (every batch's results) is large
def data_docs_task(warehouse_dir: Path, run_id: str, documents: dict[int, list[dict]]) -> Path | None:
    """Keep the run's validation results and rebuild the site; a failure here does not fail the run."""
    root = Path(warehouse_dir).resolve()
    try:
        save_validations(root, run_id, documents)
        return build(root)
    except Exception as exc:
        get_run_logger().warning("Data Docs not rebuilt: %s: %s", type(exc).__name__, exc)
        return None
