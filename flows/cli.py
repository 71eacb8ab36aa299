"""The `fazhi` command: run the pipeline, query the warehouse."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from flows.settings import DEFAULT_WAREHOUSE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fazhi", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="one pipeline run over every file below RAW_DIR")
    run.add_argument("raw_dir", type=Path)
    run.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    run.add_argument("--full-refresh", action="store_true")
    run.add_argument("--path-filter", default=None, help="glob on paths relative to RAW_DIR")
    run.add_argument("--batch-size", type=int, default=None,
                     help="files per task (default 200; on a local cluster files / 10, 200 to 1000)")
    run.add_argument("--dask-address", default=None,
                     help="run batches on this Dask scheduler (tcp://host:8786), 'local' for a LocalCluster, "
                          "'threads' for the flow's threads (default: 'local' from 2,000 files to process)")

    sql = sub.add_parser("sql", help="one read-only query against the warehouse")
    sql.add_argument("query")
    sql.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--memory-limit", default=None, help="most memory the query may use, e.g. 500MB or 8GB "
                     "(default 2GB); beyond it DuckDB spills to a temporary folder")

    serve = sub.add_parser("serve", help="register and serve the `nightly` and `manual` deployments "
                                         "on the Prefect server in PREFECT_API_URL")
    serve.add_argument("--raw", type=Path, default=None, help="the raw folder (default: raw/ in the repository)")
    serve.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    serve.add_argument("--cron", default="0 2 * * *", help="the nightly schedule (default: 02:00)")
    serve.add_argument("--timezone", default=None,
                       help="the schedule's IANA time zone (default: $FAZHI_TIMEZONE, else the machine's)")

    report = sub.add_parser("report", help="write one self-contained HTML page of charts over the warehouse")
    report.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    report.add_argument("--out", type=Path, default=None, help="the page to write (default: DIR/report.html)")
    report.add_argument("--indicator", default=None,
                        help="the indicator whose spread across places is drawn (default: the most widely stated)")

    bench = sub.add_parser("bench", help="benchmark: generate N reports from the samples, run the flow over them, "
                                         "compare with the machine's limit (needs the repository: tests/samples)")
    bench.add_argument("--reports", type=int, required=True, help="how many reports to generate")
    bench.add_argument("--workdir", type=Path, default=None,
                       help="keep the corpus and warehouse here (a corpus already there is reused); default: a "
                            "temporary folder, removed afterwards")
    bench.add_argument("--batch-size", type=int, default=None, help="as for `fazhi run`")
    bench.add_argument("--dask-address", default=None, help="as for `fazhi run` ('local': a LocalCluster)")
    bench.add_argument("--nightly", action="store_true",
                       help="then add 1 %% new files and time a second, incremental run")
    bench.add_argument("--limit-files", type=int, default=3000,
                       help="files the limit loop reads (a uniform sample when the corpus is larger)")

    args = parser.parse_args(argv)
    if args.command == "bench":
        return _bench(args)
    if args.command == "report":
        return _report(args)
    if args.command == "run":
        return _run(args)
    if args.command == "serve":
        return _serve(args)
    return _sql(args)


def _bench(args: argparse.Namespace) -> int:
    from flows import PROJECT_ROOT

    sys.path.insert(0, str(PROJECT_ROOT))  # bench/ lives beside the packages, not in them
    from bench.run import bench

    bench(args.reports, args.workdir, args.batch_size, args.dask_address, args.nightly, args.limit_files)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import os

    from flows import deploy

    if not os.environ.get("PREFECT_API_URL"):
        print("fazhi serve needs a Prefect server: start one (`prefect server start --host 127.0.0.1`) and set "
              "PREFECT_API_URL=http://127.0.0.1:4200/api (see the README, Operations)", file=sys.stderr)
        return 2
    deploy.serve(args.raw or deploy.DEFAULT_RAW, args.warehouse, args.cron, args.timezone)
    return 0


def _report(args: argparse.Namespace) -> int:
    from flows.report import NoWarehouse, build_report

    try:
        page = build_report(args.warehouse, args.out, args.indicator)
    except NoWarehouse as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"report: {page.resolve()}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from flows.pipeline import fazhi_run
    from flows.settings import RunParams

    params = RunParams(raw_dir=args.raw_dir, warehouse_dir=args.warehouse, full_refresh=args.full_refresh,
                       path_filter=args.path_filter, dask_address=args.dask_address,
                       **({"batch_size": args.batch_size} if args.batch_size else {}))
    try:
        summary = fazhi_run(params)
    except Exception as exc:  # the run itself failed: say why, exit non-zero
        print(f"fazhi run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"run {summary.run_id}: {summary.files_seen} files seen, {summary.files_new} new or changed, "
          f"{summary.reports_landed} reports landed"
          + (f" (+{summary.copies} byte-identical copies)" if summary.copies else "")
          + f", {summary.quarantined} quarantined")
    for reason, n in sorted(summary.quarantine_reasons.items()):
        print(f"  quarantined: {n} × {reason}")
    print(f"warehouse: {Path(args.warehouse).resolve() / 'warehouse.duckdb'}")
    return 0


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.readonly import MEMORY_LIMIT, connect

    db = Path(args.warehouse) / "warehouse.duckdb"
    if not db.exists():
        print(f"no warehouse at {db}; run `fazhi run RAW_DIR --warehouse {args.warehouse}` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fazhi-sql-") as spill:
        try:
            con = connect(Path(args.warehouse), Path(spill), args.memory_limit or MEMORY_LIMIT)
        except duckdb.Error as exc:  # a --memory-limit that DuckDB cannot read
            print(f"fazhi sql: {exc}", file=sys.stderr)
            return 2
        try:
            code, frame = _query(con, args.query)
        finally:
            con.close()
    if frame is not None:
        _print(frame, args.format)
    return code


def _query(con, query: str):
    """(exit code, the result or None); says on stderr why a query was refused or failed."""
    import duckdb

    from warehouse.readonly import QueryRefused, check_query, is_refusal

    try:
        check_query(con, query)
        relation = con.sql(query)
        if relation is None:
            print("the statement returned no rows", file=sys.stderr)
            return 0, None
        return 0, relation.df()
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2, None
    except duckdb.Error as exc:
        if is_refusal(exc):
            print(f"refused: `fazhi sql` reads only the warehouse's own tables and changes nothing ({exc})",
                  file=sys.stderr)
            return 2, None
        print(f"query failed: {exc}", file=sys.stderr)
        return 1, None


def _print(frame, form: str) -> None:
    if form == "csv":
        print(frame.to_csv(index=False), end="")
    elif form == "json":
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        with __import__("pandas").option_context("display.max_rows", 200, "display.max_columns", 50,
                                                 "display.width", 200, "display.max_colwidth", 40):
            print(frame.to_string(index=False))


if __name__ == "__main__":
    sys.exit(main())
