"""`fazhi sql` reads the warehouse and nothing else: writes, attaches and outside files are refused."""
from __future__ import annotations

import pytest

from flows.cli import main


def sql(capsys, warehouse, query: str, *extra: str) -> tuple[int, str, str]:
    code = main(["sql", "--warehouse", str(warehouse), *extra, query])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_select_over_the_views_works(seeds_warehouse, capsys):
    code, out, err = sql(capsys, seeds_warehouse, "select count(*) as n from reports", "--format", "csv")
    assert (code, out, err) == (0, "n\n5\n", "")
    code, out, _ = sql(capsys, seeds_warehouse,
                       "with m as (select report_id from metrics) select count(distinct report_id) n from m",
                       "--format", "json")
    assert (code, out.strip()) == (0, '[{"n":5}]')


@pytest.mark.parametrize("query", [
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from read_text('{w}/current/../../outside.txt')",  # .. out of the snapshot
    "select * from read_text('{w}/.views.sha256')",  # inside the warehouse folder, but not a table
    "select * from read_parquet('https://example.com/x.parquet')",
])
def test_reading_files_outside_the_snapshot_is_refused(seeds_warehouse, capsys, query):
    (seeds_warehouse.parent / "outside.txt").write_text("secret")
    code, out, err = sql(capsys, seeds_warehouse, query.format(w=seeds_warehouse))
    assert code == 2 and out == ""
    assert err.startswith("refused: `fazhi sql` reads only the warehouse's own tables")


@pytest.mark.parametrize("query, kind", [
    ("copy (select * from reports) to '{w}/current/reports/leak.parquet'", "COPY"),
    ("copy (select 1) to '{out}'", "COPY"),
    ("attach '{out}' as other", "ATTACH"),
    ("create table t as select 1", "CREATE"),
    ("create temp table t as select 1", "CREATE"),
    ("drop view reports", "DROP"),
    ("insert into reports select * from reports", "INSERT"),
    ("set enable_external_access = true", "SET"),
    ("install httpfs", "LOAD"),
    ("export database '{out}'", "EXPORT"),
])
def test_statements_that_write_or_attach_are_refused(seeds_warehouse, capsys, tmp_path, query, kind):
    out_path = tmp_path / "written"
    code, out, err = sql(capsys, seeds_warehouse, query.format(w=seeds_warehouse, out=out_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"refused: {kind} statements are refused")
    assert not out_path.exists()
    assert not (seeds_warehouse / "current" / "reports" / "leak.parquet").exists()


def test_several_statements_are_refused(seeds_warehouse, capsys):
    code, _, err = sql(capsys, seeds_warehouse, "select 1; copy (select 1) to 'x.csv'")
    assert code == 2 and "exactly one statement" in err


def test_settings_cannot_be_reopened_inside_a_query(seeds_warehouse, capsys):
    # a SELECT cannot switch file access back on: the configuration is locked before the query runs
    code, _, err = sql(capsys, seeds_warehouse,
                       "select * from read_csv('/etc/passwd') where current_setting('enable_external_access')")
    assert code == 2 and "refused" in err
    code, out, _ = sql(capsys, seeds_warehouse, "select current_setting('lock_configuration') as locked",
                       "--format", "csv")
    assert (code, out) == (0, "locked\nTrue\n")


def test_memory_is_capped_and_a_query_past_the_cap_spills_instead_of_failing(seeds_warehouse, capsys):
    code, out, _ = sql(capsys, seeds_warehouse, "select current_setting('memory_limit') as cap", "--format", "csv")
    assert (code, out) == (0, "cap\n1.8 GiB\n")  # 2GB, as DuckDB prints it (not 80 % of the machine's memory)
    # sorting ~2 million 64-character strings needs a few hundred MB: with 64MB DuckDB must spill to finish
    heavy = ("select count(*) as n, max(s) = max(md5(i::varchar) || md5((i + 1)::varchar)) as same "
             "from (select i, md5(i::varchar) || md5((i + 1)::varchar) as s from range(2000000) t(i) order by s)")
    code, out, err = sql(capsys, seeds_warehouse, heavy, "--format", "csv", "--memory-limit", "64MB")
    assert (code, out, err) == (0, "n,same\n2000000,True\n", "")


def test_a_memory_limit_duckdb_cannot_read_is_refused(seeds_warehouse, capsys):
    code, out, err = sql(capsys, seeds_warehouse, "select 1", "--memory-limit", "lots")
    assert code == 2 and out == "" and "Memory must have a number" in err
