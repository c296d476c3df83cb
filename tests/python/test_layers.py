"""The layers hold (docs/development.md, STYLE.md 1 and 11): seeds are read by staging only, and an
intermediate model reads staging and intermediate models only, never a mart or a report. Read from the
files (no dbt): a model's refs are its own and those of the project macros it calls, transitively."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from leadscore.paths import PROJECT_DIR

REF = re.compile(r"""\bref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)""")
DYNAMIC_REF = re.compile(r"""\bref\(\s*[^'"\s)]""")
MACRO = re.compile(r"{%-?\s*macro\s+([A-Za-z0-9_]+)\s*\(")
CALL = re.compile(r"\bleadscore\.([A-Za-z0-9_]+)\s*\(")
LAYERS = ("staging", "intermediate", "marts", "reports")


def macro_bodies(project: Path) -> dict[str, str]:
    """macro name -> its text (a file may hold several macros)."""
    bodies: dict[str, str] = {}
    for path in sorted((project / "macros").rglob("*.sql")):
        text = path.read_text(encoding="utf-8")
        starts = [(match.start(), match.group(1)) for match in MACRO.finditer(text)]
        for index, (start, name) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            bodies[name] = text[start:end]
    return bodies


def layer_problems(project: Path) -> list[str]:
    """Every ref that crosses a layer the wrong way, one readable line each."""
    seeds = {path.stem for path in (project / "seeds").rglob("*.csv")}
    models = {path.stem: path for path in (project / "models").rglob("*.sql")}
    layer = {name: path.relative_to(project / "models").parts[0] for name, path in models.items()}
    macros = macro_bodies(project)

    def refs_of(text: str, seen: set[str]) -> tuple[set[str], set[str]]:
        """(the names it refs, the macros it calls that build a ref from a variable)."""
        refs = set(REF.findall(text))
        dynamic: set[str] = set()
        for called in CALL.findall(text):
            if called in macros and called not in seen:
                seen.add(called)
                if DYNAMIC_REF.search(macros[called]):
                    dynamic.add(called)
                more, more_dynamic = refs_of(macros[called], seen)
                refs |= more
                dynamic |= more_dynamic
        return refs, dynamic

    problems = []
    for name, path in sorted(models.items()):
        refs, dynamic = refs_of(path.read_text(encoding="utf-8"), set())
        where = f"{path.relative_to(project)}"
        if layer[name] != "staging":
            problems += [f"{where} reads seed {ref} (read its staging model instead)" for ref in sorted(refs & seeds)]
            problems += [f"{where} calls macro {macro}, which refs a computed name (staging only)"
                         for macro in sorted(dynamic)]
        if layer[name] == "intermediate":
            problems += [f"{where} reads {layer[ref]} model {ref} (intermediate reads staging and intermediate only)"
                         for ref in sorted(refs) if layer.get(ref) in ("marts", "reports")]
    return problems


def test_seeds_are_read_by_staging_only() -> None:
    assert [problem for problem in layer_problems(PROJECT_DIR) if " seed " in problem or "macro" in problem] == []


def test_intermediate_reads_no_mart_or_report() -> None:
    assert [problem for problem in layer_problems(PROJECT_DIR) if "intermediate reads" in problem] == []


def test_every_model_sits_in_a_layer() -> None:
    outside = [str(path) for path in (PROJECT_DIR / "models").rglob("*.sql")
               if path.relative_to(PROJECT_DIR / "models").parts[0] not in LAYERS]
    assert outside == []


def test_the_check_finds_each_kind_of_leak(tmp_path: Path) -> None:
    """A small project with one leak of each kind, some through macros: each is reported."""
    files = {
        "seeds/bands.csv": "band,min_score\n",
        "macros/bands.sql": "{% macro bands() %}{{ ref('bands') }}{% endmacro %}\n"
                            "{% macro outer() %}{{ leadscore.bands() }}{% endmacro %}",
        "macros/seed_of.sql": "{% macro seed_of(kind) %}{{ return(ref(kind)) }}{% endmacro %}",
        "models/staging/stg_bands.sql": "select * from {{ ref('bands') }} {{ leadscore.seed_of('bands') }}",
        "models/intermediate/int_direct.sql": "select * from {{ ref('bands') }}",
        "models/intermediate/int_through_macro.sql": "select * from {{ leadscore.outer() }}",
        "models/intermediate/int_dynamic.sql": "select * from {{ leadscore.seed_of('bands') }}",
        "models/intermediate/int_reads_mart.sql": "-- depends_on: {{ ref('scores') }}\nselect 1",
        "models/marts/scores.sql": "select * from {{ ref('stg_bands') }}",
        "models/marts/scores_from_seed.sql": 'select * from {{ ref("bands") }}',
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    assert sorted(layer_problems(tmp_path)) == [
        "models/intermediate/int_direct.sql reads seed bands (read its staging model instead)",
        "models/intermediate/int_dynamic.sql calls macro seed_of, which refs a computed name (staging only)",
        "models/intermediate/int_reads_mart.sql reads marts model scores"
        " (intermediate reads staging and intermediate only)",
        "models/intermediate/int_through_macro.sql reads seed bands (read its staging model instead)",
        "models/marts/scores_from_seed.sql reads seed bands (read its staging model instead)",
    ]


def test_public_marts_declare_a_portable_type_per_column() -> None:
    """The enforced contracts of the public marts (dbt_project.yml) need a data_type per column, in
    names DuckDB and Spark both read; crm_lead_sync, whose columns a var names, has none."""
    portable = {"string", "double", "bigint", "int", "boolean", "timestamp", "date"}
    untyped = []
    models = 0
    for area in ("accounts", "history", "lifecycle", "scoring"):
        for path in sorted((PROJECT_DIR / "models" / "marts" / area).glob("*.yml")):
            for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
                models += 1
                untyped += [f"{model['name']}.{column['name']}: {column.get('data_type')}"
                            for column in model.get("columns", []) if column.get("data_type") not in portable]
    assert models >= 11
    assert untyped == []


def test_the_contracts_of_the_public_marts_are_enforced(tmp_path: Path) -> None:
    """dbt itself checks an enforced contract at every build (columns and types, DuckDB and Spark):
    every public mart but crm_lead_sync has one, and nothing outside the public marts does."""
    from leadscore.build import run_dbt

    def listed(selector: str) -> set[str]:
        return set(run_dbt(["ls", "--resource-type", "model", "--select", selector, "--output", "name"],
                           tmp_path / "w.duckdb"))

    enforced = listed("config.contract.enforced:true")
    public_marts = listed("tag:public,path:models/marts")
    assert len(enforced) >= 11
    assert enforced == public_marts - {"crm_lead_sync"}
