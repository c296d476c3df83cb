"""Every var checked against its rule before dbt starts: one line names the var, what it accepts,
the value it got and where that came from (--vars or dbt_project.yml).

The rules are written once, as YAML inside macros/config/var_rules.sql, so that a plain `dbt build`
checks the same domains (macros/config/checked_vars.sql). Nothing here imports dbt or duckdb: a
wrong value fails in a fraction of a second.

`python -m leadscore.var_rules` prints docs/vars.md.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from leadscore.errors import LeadscoreError
from leadscore.grids import check_grid_vars
from leadscore.paths import PROJECT_DIR

RULES_FILE = Path("macros") / "config" / "var_rules.sql"
_RULES_BLOCK = re.compile(r"\{%-? set rules_yaml -?%\}\n(?P<yaml>.*?)\{%-? endset -?%\}", re.DOTALL)

KINDS = ("number", "integer", "boolean", "choice", "list", "text", "date", "instant", "grid", "seed_value")
_KEYS = {"type", "nullable", "min", "above", "max", "below", "choices", "nonempty", "at_most", "one_of", "seed",
         "column", "accepts", "means"}
# the same patterns as macros/config/checked_vars.sql
_NUMBER_TEXT = re.compile(r"-?[0-9]+([.][0-9]+)?")
_DATE_TEXT = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
_INSTANT_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?([+-][0-9]{2}:[0-9]{2})?"
)
_TRUE_TEXTS = ("true", "yes", "1", "on")
_BOOLEAN_TEXTS = (*_TRUE_TEXTS, "false", "no", "0", "off")


class VarsLoader(yaml.SafeLoader):
    """YAML as dbt reads it, except that a timestamp or date stays text: a bad one (2024-13-01) is then
    a value the check names, not a loader crash, and the macros read either form the same way."""


VarsLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load_vars_yaml(text: str) -> Any:
    return yaml.load(text, Loader=VarsLoader)


@dataclass(frozen=True)
class VarRule:
    """What one var accepts (the keys are described at the top of macros/config/var_rules.sql)."""

    name: str
    type: str
    accepts: str
    means: str
    nullable: bool = False
    min: float | None = None
    above: float | None = None
    max: float | None = None
    below: float | None = None
    choices: tuple[str, ...] = ()
    nonempty: bool = False
    at_most: str | None = None
    one_of: str | None = None
    seed: str | None = None
    column: str | None = None


def load_rules(project_dir: Path = PROJECT_DIR) -> dict[str, VarRule]:
    """The rules of macros/config/var_rules.sql, by var name."""
    path = project_dir / RULES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LeadscoreError(f"{path}: cannot read the var rules ({error.strerror})") from None
    block = _RULES_BLOCK.search(text)
    if block is None:
        raise LeadscoreError(f"{path}: no `set rules_yaml` ... `endset` block of YAML")
    try:
        raw = yaml.safe_load(block.group("yaml"))
    except yaml.YAMLError as error:
        raise LeadscoreError(f"{path}: the var rules are not valid YAML: {str(error).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise LeadscoreError(f"{path}: the var rules must be a YAML mapping of var names")
    return {str(name): _rule(path, str(name), entry) for name, entry in raw.items()}


def _rule(path: Path, name: str, entry: Any) -> VarRule:
    if not isinstance(entry, dict):
        raise LeadscoreError(f"{path}: the rule of var {name} must be a mapping")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise LeadscoreError(f"{path}: the rule of var {name} has unknown key {', '.join(unknown)}")
    if entry.get("type") not in KINDS or not entry.get("accepts"):
        raise LeadscoreError(f"{path}: the rule of var {name} needs a type ({', '.join(KINDS)}) and accepts")
    fields = dict(entry)
    fields["choices"] = tuple(str(choice) for choice in entry.get("choices") or ())
    for bound in ("min", "above", "max", "below"):
        if fields.get(bound) is not None:
            fields[bound] = float(fields[bound])
    fields.setdefault("means", "")
    return VarRule(name=name, **fields)


def project_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The vars of dbt_project.yml with their values there."""
    path = project_dir / "dbt_project.yml"
    try:
        with open(path, encoding="utf-8") as handle:
            project = load_vars_yaml(handle.read())
    except OSError as error:
        raise LeadscoreError(f"{path}: cannot read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise LeadscoreError(f"{path} is not valid YAML: {str(error).splitlines()[0]}") from None
    found = (project or {}).get("vars") if isinstance(project, dict) else None
    if found is not None and not isinstance(found, dict):
        raise LeadscoreError(f"{path}: vars must be a mapping of var names to values")
    return dict(found or {})


def shown(value: Any) -> str:
    """A value as a message shows it: a text as it is (quoted when empty or padded), YAML's words
    for null and booleans, lists in brackets."""
    if isinstance(value, str):
        text = value if value and value.strip() == value else repr(value)
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(shown(item) for item in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def as_number(value: Any) -> float | None:
    """A number, or a text that is one as the macros read it (not a boolean, not NaN or infinite)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        return None
    return number if math.isfinite(number) else None


def _fits_bounds(rule: VarRule, number: float) -> bool:
    return not (
        (rule.type == "integer" and not number.is_integer())
        or (rule.min is not None and number < rule.min)
        or (rule.above is not None and number <= rule.above)
        or (rule.max is not None and number > rule.max)
        or (rule.below is not None and number >= rule.below)
    )


def _is_date(value: Any) -> bool:
    if isinstance(value, datetime):
        return False
    if isinstance(value, date):
        return True
    if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value.strip()):
        return False
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _is_instant(value: Any) -> bool:
    if isinstance(value, date):  # YAML reads an unquoted timestamp or date itself
        return True
    if not isinstance(value, str):
        return False
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00").replace(" ", "T")
    if not _INSTANT_TEXT.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _seed_values(project_dir: Path, seed: str, column: str) -> list[str] | None:
    """The values of a seed's column (a team's seed: read to validate a var, never compared with ours);
    None when the seed cannot be read (dbt reports the seed itself)."""
    try:
        with open(project_dir / "seeds" / f"{seed}.csv", encoding="utf-8", newline="") as handle:
            return sorted({(row.get(column) or "").strip() for row in csv.DictReader(handle)} - {""})
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def problem(rule: VarRule, value: Any, project_dir: Path = PROJECT_DIR) -> str | None:
    """What a value of the var lacks ("must be ..."), None when it fits the rule. The checks between
    two vars are check_vars'."""
    if value is None:
        return None if rule.nullable else f"must be {rule.accepts}"
    if rule.type in ("number", "integer"):
        number = as_number(value)
        fits = number is not None and _fits_bounds(rule, number)
    elif rule.type == "boolean":
        fits = isinstance(value, bool) or (type(value) is int and value in (0, 1)) or (
            isinstance(value, str) and value.strip().lower() in _BOOLEAN_TEXTS)
    elif rule.type == "choice":
        fits = isinstance(value, str) and value.strip().lower() in rule.choices
    elif rule.type == "list":
        fits = isinstance(value, list) and all(
            isinstance(item, str) or (isinstance(item, int | float) and not isinstance(item, bool)) for item in value
        ) and not (rule.nonempty and not value) and all(item in rule.choices for item in value if rule.choices)
    elif rule.type == "date":
        fits = _is_date(value)
    elif rule.type == "instant":
        fits = _is_instant(value)
    elif rule.type == "grid":
        return _grid_problem(rule, value, project_dir)
    else:  # text, seed_value
        fits = isinstance(value, str) and value.strip() != ""
        if fits and rule.type == "seed_value" and rule.seed and rule.column:
            found = _seed_values(project_dir, rule.seed, rule.column)
            if found is not None and value.strip() not in found:
                return f"must be {rule.accepts} (found: {', '.join(found) or 'none'})"
    return None if fits else f"must be {rule.accepts}"


def _grid_problem(rule: VarRule, value: Any, project_dir: Path) -> str | None:
    """The grid check of grids.py (which grids a build can score with), its message without the var."""
    if not isinstance(value, str) or not value.strip():
        return f"must be {rule.accepts}"
    try:
        check_grid_vars({rule.name: value}, project_dir)
    except LeadscoreError as error:
        issue = str(error).removeprefix(f"var {rule.name}").lstrip(": ")
        return re.sub(r", got: .*$", "", issue)  # check_vars adds the value and where it came from
    return None


def check_vars(cli_vars: dict[str, Any], project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The vars of a build (dbt_project.yml's, overridden by --vars) checked against their rules;
    the first problem raises one line naming the var, what it accepts, the value and its source.
    Returns the merged vars. A var without a rule (a team's own) is not checked."""
    rules = load_rules(project_dir)
    merged = {**project_vars(project_dir), **cli_vars}

    def source(name: str) -> str:
        return "--vars" if name in cli_vars else "dbt_project.yml"

    def fail(name: str, issue: str) -> LeadscoreError:
        verb = "must" if issue.startswith("must") else ""
        body = f"var {name} {issue}" if verb else f"var {name}: {issue}"
        return LeadscoreError(f"{body}, got: {shown(merged.get(name))} (from {source(name)})")

    # the vars the user just gave first: their mistake is the likeliest
    for name in sorted(rules, key=lambda var_name: var_name not in cli_vars):
        rule = rules[name]
        if name not in merged and not rule.nullable:
            raise LeadscoreError(f"var {name} is not set: dbt_project.yml must give it a value, {rule.accepts}")
        issue = problem(rule, merged.get(name), project_dir)
        if issue:
            raise fail(name, issue)
    for name in sorted(rules, key=lambda var_name: var_name not in cli_vars):
        rule, value = rules[name], merged.get(name)
        if value is None:
            continue
        if rule.at_most and merged.get(rule.at_most) is not None:
            limit = as_number(merged[rule.at_most])
            number = as_number(value)
            if number is not None and limit is not None and number > limit:
                raise fail(name, f"must be <= {rule.at_most} ({shown(merged[rule.at_most])}, "
                                 f"from {source(rule.at_most)})")
        if rule.one_of:
            members = merged.get(rule.one_of) or []
            allowed = [str(member).strip().lower() for member in members] if isinstance(members, list) else []
            if str(value).strip().lower() not in allowed:
                raise fail(name, f"must be one of {rule.one_of} ({', '.join(allowed)}, from {source(rule.one_of)})")
    return merged


def markdown(project_dir: Path = PROJECT_DIR) -> str:
    """docs/vars.md: every var, what it accepts and what it means, from the rules alone (not the
    defaults, which are a team's: editing one must not make the page stale)."""
    rules = load_rules(project_dir)
    lines = [
        "# Vars: what each one accepts",
        "",
        "Generated from `macros/config/var_rules.sql` by `python -m leadscore.var_rules > docs/vars.md`",
        "(a test fails when this page and the rules differ). Set a var in `dbt_project.yml` (the project's",
        "defaults) or for one build with `leadscore build --vars \"{name: value}\"`.",
        "",
        "`leadscore build` (and `run` and `forget`, which build) checks every var, the defaults of",
        "`dbt_project.yml` and `--vars` alike, before dbt starts. The first value outside its rule stops",
        "the build in well under a second with one line naming the var, what it accepts, the value and",
        "where it came from:",
        "",
        "```",
        "$ leadscore build --vars \"{decay_half_life_days: -5}\"",
        "leadscore: error: var decay_half_life_days must be a number of days > 0, got: -5 (from --vars)",
        "```",
        "",
        "A plain `dbt build` checks the same rules while it parses the project (the on-run-start hook",
        "`check_vars` and the macros of `macros/config/checked_vars.sql`), with the same words but no",
        "source. A var you add to `dbt_project.yml` for your own models needs no rule: it is not checked.",
        "",
        "The defaults are those of `dbt_project.yml`; each var with its longer story in docs/vars-reference.md.",
        "",
        "| var | accepts | meaning |",
        "|---|---|---|",
    ]
    for name, rule in rules.items():
        lines.append(f"| `{name}` | {_cell(rule.accepts)} | {_cell(rule.means)} |")
    lines += [
        "",
        "Lists are YAML lists (`[FR, US]`, not `FR, US`); quote an item YAML would read as something else",
        "(`'NO'` is Norway, `NO` is false). Numbers may be given as text (`'30'`), booleans as",
        "true / false, yes / no, on / off or 1 / 0. An empty text is never a value: use null where the",
        "table says null is accepted. Whether a grid exists (`scoring_grid`, `challenger_grid`) and which",
        "mappings `seeds/crm_field_mappings.csv` holds are read from your project's seeds.",
        "",
        "## Adding a var to the engine",
        "",
        "Give it a default in `dbt_project.yml` and a rule in `macros/config/var_rules.sql` (a test fails",
        "for a var of `dbt_project.yml` without one, and for a rule whose `accepts` words leave out one of",
        "its bounds, choices or null), read it in models through `leadscore.number_var`, `choice_var` or",
        "`bool_var` (they take the domain from the rule: do not repeat it in the model), then regenerate",
        "this page.",
        "",
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


# --------------------------------------------------------------------------------------------- a build's settings


def parse_as_of(text: str) -> str:
    """An ISO-8601 instant as 'YYYY-MM-DD HH:MM:SS' in UTC; a value without offset is UTC."""
    cleaned = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise LeadscoreError(
            f"--as-of {text!r} is not an ISO-8601 timestamp (e.g. 2024-06-30T12:00:00Z)"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed.strftime("%Y-%m-%d %H:%M:%S")


def parse_vars(vars_yaml: str | None, project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """--vars as a dict, every var of the build (dbt_project.yml's and --vars) checked against its rule
    (leadscore.var_rules) before dbt starts; a YAML error, a var the project does not declare or a
    value outside its rule is a user mistake, one line naming the var."""
    parsed = _vars_mapping(vars_yaml)
    declared = project_vars(project_dir)
    unknown = sorted(set(parsed) - set(declared))
    if unknown:
        raise LeadscoreError(
            f"unknown var {', '.join(unknown)} (the vars are listed in dbt_project.yml and docs/vars.md)"
        )
    check_vars(parsed, project_dir)
    return parsed


def _vars_mapping(vars_yaml: str | None) -> dict[str, Any]:
    if not vars_yaml:
        return {}
    try:
        parsed = load_vars_yaml(vars_yaml)
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        raise LeadscoreError(f"--vars is not valid YAML: {first_line}") from None
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        raise LeadscoreError('--vars must be a YAML mapping, e.g. "{decay_method: linear}"')
    return parsed


if __name__ == "__main__":
    print(markdown(), end="")
