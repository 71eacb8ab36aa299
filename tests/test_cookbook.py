"""The README's SQL cookbook: every query runs under `fazhi sql`'s read-only session and returns the
columns its "Returns:" line promises; on a warehouse made to hold each case, it returns rows."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.warehouse_builder import build_warehouse, demo_tables
from warehouse.readonly import check_query, connect

# questions whose answer the sample warehouse must have rows for, whatever its reports hold
ROWS_ON_ANY_SAMPLE = {"6"}


@dataclass(frozen=True)
class Recipe:
    number: str
    question: str
    columns: tuple[str, ...]
    sql: str


def cookbook(readme: Path = ROOT / "README.md") -> list[Recipe]:
    """The recipes of the README's "## SQL cookbook" section, in order."""
    text = readme.read_text(encoding="utf-8")
    start = text.index("\n## SQL cookbook\n")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else len(text)]
    recipes = []
    for block in re.split(r"\n### ", section)[1:]:
        number, question = re.match(r"(\d+)\. (.+)", block).groups()
        returns = re.search(r"^Returns: (.+)$", block, re.M)
        sqls = re.findall(r"```sql\n(.*?)```", block, re.S)
        assert returns and len(sqls) == 1, f"recipe {number} needs one 'Returns:' line and one sql block"
        recipes.append(Recipe(number, question, tuple(re.findall(r"`([^`]+)`", returns.group(1))), sqls[0]))
    return recipes


RECIPES = cookbook()


def run(warehouse: Path, recipe: Recipe) -> tuple[list[str], list[tuple]]:
    con = connect(warehouse, warehouse.parent)
    try:
        check_query(con, recipe.sql)
        relation = con.sql(recipe.sql)
        return relation.columns, relation.fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("cookbook") / "w", **demo_tables())


def test_the_cookbook_has_ten_numbered_questions():
    assert [r.number for r in RECIPES] == [str(n) for n in range(1, 11)]


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.number)
def test_recipe_answers_on_a_warehouse_with_every_case(demo, recipe):
    columns, rows = run(demo, recipe)
    assert tuple(columns) == recipe.columns
    assert rows, f"no rows for: {recipe.question}"


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.number)
def test_recipe_runs_on_the_sample_warehouse(sample_warehouse, recipe):
    columns, rows = run(sample_warehouse, recipe)
    assert tuple(columns) == recipe.columns
    if recipe.number in ROWS_ON_ANY_SAMPLE:
        assert rows


def test_recipes_find_the_cases_written_into_the_demo(demo):
    """A few answers checked against the cases tests/warehouse_builder.py spells out."""
    answers = {r.number: run(demo, r)[1] for r in RECIPES}
    assert [(region, year) for region, year, *_ in answers["7"]] == [("山西省甲县", 2022)]
    assert [(region, year, received + 5 == concluded) for region, year, received, concluded, _ in answers["9"]] \
        == [("福建省甲县", 2021, True)]
    assert all(value < 100 for _, _, value, *_ in answers["1"])
    assert all(days > 0 for *_, days in answers["4"])
    assert sum(files for _, _, files, *_ in answers["10"]) == 5
