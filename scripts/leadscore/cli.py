"""The ``leadscore`` command: argument parsing and one clear line per user mistake."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, NoReturn

from leadscore.contract import SYSTEM_TABLES
from leadscore.errors import LeadscoreError
from leadscore.paths import resolve_db
from leadscore.var_rules import parse_as_of, parse_vars

# The entry-point group through which other packages add commands: each entry is a function
# register(commands, add) given argparse's subparsers and the helper that adds --db / --serving.
COMMANDS_GROUP = "leadscore.commands"


def lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when first called: a command loads its module (and with it duckdb, dbt,
    scikit-learn) only when it runs, after its options are checked; `--help`, a mistyped option or var
    fail at once, and `explain` does not pay for dbt (importing dbt and scikit-learn takes about 3 s of
    CPU). The one deferred import of the package, and only here: nothing imports leadscore.cli, so it
    cannot hide an import cycle (tests/python/test_package.py)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(module), name)(*args, **kwargs)

    return call


load_directory = lazy("leadscore.load", "load_directory")
load_source_directory = lazy("leadscore.load_source", "load_source_directory")
build = lazy("leadscore.build", "build")
explain_lead = lazy("leadscore.explain", "explain_lead")
format_json = lazy("leadscore.explain", "format_json")
format_text = lazy("leadscore.explain", "format_text")
export_mqls = lazy("leadscore.export", "export_mqls")
export_new_mqls = lazy("leadscore.handoff", "export_new_mqls")
sync_crm = lazy("leadscore.handoff", "sync_crm")
forget = lazy("leadscore.erasure", "forget")
run_main_job = lazy("leadscore.run", "run_main_job")
calibrate = lazy("leadscore.calibrate", "calibrate")
report_lines = lazy("leadscore.calibrate", "report_lines")
write_report = lazy("leadscore.report", "write_report")


def _say(message: str) -> None:
    print(message, flush=True)


def _db(args: argparse.Namespace) -> Path:
    return resolve_db(args.db)


def _optional_path(value: str | None) -> Path | None:
    return Path(value) if value else None


class _Parser(argparse.ArgumentParser):
    """A mistake in the command line is one line too (argparse prints its usage first otherwise)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"leadscore: error: {message} (`{self.prog} --help` lists the options)\n")


# An empty value given on purpose is rare; given by mistake (an unset shell variable, a stray "") it
# would otherwise mean "the default" (--db, --serving, --as-of: another warehouse, or now) or the
# current directory (--out, a load directory): every string option refuses it.
def _given(what: str, hint: str = "") -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value.strip():
            raise argparse.ArgumentTypeError(f"an empty value is not {what}" + (f": {hint}" if hint else ""))
        return value

    return check


_PATH = _given("a path", "leave the option out for its default")


def _as_of(value: str) -> str:
    """--as-of: an ISO-8601 instant, checked before anything runs (`run` loads before it builds)."""
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "an empty value is not an instant: leave --as-of out to score as of now, or give an ISO-8601 "
            "timestamp such as 2024-06-30T12:00:00Z"
        )
    try:
        parse_as_of(value)
    except LeadscoreError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--as-of ")) from None
    return value


def _source_system(text: str) -> str:
    if text not in SYSTEM_TABLES:
        raise argparse.ArgumentTypeError(f"unknown source system {text!r}: expected one of {', '.join(SYSTEM_TABLES)}")
    return text


def _cmd_load(args: argparse.Namespace) -> None:
    if args.source is not None:
        report = load_source_directory(
            _db(args), args.source, Path(args.directory), progress=_say, lock_timeout=args.lock_timeout
        )
    else:
        report = load_directory(
            _db(args), Path(args.directory), progress=_say, lock_timeout=args.lock_timeout
        )
    _say(report.format_table())


def _cmd_build(args: argparse.Namespace) -> None:
    parse_vars(args.vars)  # a wrong var fails at once, before dbt is even imported
    build(
        _db(args),
        as_of=args.as_of,
        full_refresh=args.full_refresh,
        target=args.target,
        vars_yaml=args.vars,
        progress=_say,
        serving=_optional_path(args.serving),
        storage_version=args.serving_storage_version,
        lock_timeout=args.lock_timeout,
        publish_backfill=args.publish_backfill,
        force=args.force,
        verbose=args.verbose,
    )


def _cmd_explain(args: argparse.Namespace) -> None:
    explanation = explain_lead(
        _db(args), contact_id=args.contact_id, email=args.email, serving=_optional_path(args.serving)
    )
    _say(format_json(explanation) if args.format == "json" else format_text(explanation))


def _cmd_export(args: argparse.Namespace) -> None:
    if args.new_only:
        _export_new_only(args)
        return
    path, rows = export_mqls(_db(args), Path(args.out), args.format, serving=_optional_path(args.serving))
    _say(f"Wrote {rows:,} MQLs to {path}")


def _export_new_only(args: argparse.Namespace) -> None:
    done = export_new_mqls(
        _db(args), Path(args.out), args.format, serving=_optional_path(args.serving),
        lock_timeout=args.lock_timeout, progress=_say,
    )
    if done.path is None:
        _say(f"No new MQL since the last export ({done.earlier:,} contacts exported before): nothing written")
    else:
        _say(f"Wrote {done.rows:,} new MQLs to {done.path} ({done.earlier:,} contacts exported before)")


def _cmd_sync(args: argparse.Namespace) -> None:
    done = sync_crm(
        _db(args), Path(args.out), changed_only=args.changed_only, file_format=args.format,
        serving=_optional_path(args.serving), lock_timeout=args.lock_timeout, progress=_say,
    )
    since = f"the last sync at {done.since:%Y-%m-%d %H:%M:%S} UTC" if done.since else "no earlier sync"
    if done.path is None:
        _say(f"No row of crm_lead_sync changed since {since}: nothing written (sync recorded)")
    else:
        what = f"changed since {since}" if args.changed_only else "all consented contacts"
        _say(f"Wrote {done.rows:,} rows of crm_lead_sync ({what}) to {done.path}")


def _cmd_forget(args: argparse.Namespace) -> None:
    report = forget(
        _db(args), email=args.email, contact_id=args.contact_id, serving=_optional_path(args.serving),
        storage_version=args.serving_storage_version, lock_timeout=args.lock_timeout, progress=_say,
        force=args.force,
    )
    if report.traces_left:
        left = ", ".join(f"{name} ({count:,})" for name, count in sorted(report.traces_left.items()))
        raise LeadscoreError(f"erasure {report.erasure_id} recorded, but rows of the person remain in: {left}")
    if report.contacts == 0 and report.total_removed == 0:
        _say("No data of this person in the warehouse; recorded, so that a later load refuses them")
    _say(
        f"Forgot {report.contacts} contact(s): {report.total_removed:,} rows removed, audit row {report.erasure_id} "
        "kept (a salted hash, no personal data); no trace left in the working warehouse or the serving file"
    )


def _cmd_run(args: argparse.Namespace) -> None:
    run_main_job(
        _db(args),
        input_dir=Path(args.input) if args.input else None,
        out_dir=Path(args.out),
        file_format=args.format,
        contacts=args.contacts,
        as_of=args.as_of,
        progress=_say,
        serving=_optional_path(args.serving),
        storage_version=args.serving_storage_version,
        lock_timeout=args.lock_timeout,
        force=args.force,
        verbose=args.verbose,
    )


def _cmd_calibrate(args: argparse.Namespace) -> None:
    result = calibrate(
        _db(args),
        serving=_optional_path(args.serving),
        name=args.name,
        mql_share_pct=args.mql_share,
        capacity_per_month=args.capacity,
        max_points=args.max_points,
        write=not args.dry_run,
        progress=_say,
    )
    for line in report_lines(result):
        _say(line)


def _cmd_report(args: argparse.Namespace) -> None:
    path = write_report(_db(args), Path(args.out), serving=_optional_path(args.serving))
    _say(f"Wrote the report to {path}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leadscore", description="Lead scoring as code: load, score, explain, export."
    )
    parser.add_argument("--version", action="version", version="leadscore 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--db", type=_PATH, help="warehouse file (default: $LEADSCORE_DB or data/warehouse.duckdb)"
        )
        sub.add_argument(
            "--serving",
            type=_PATH,
            help="serving file that readers open (default: $LEADSCORE_SERVING, else beside the warehouse: "
            "serving.duckdb for warehouse.duckdb, NAME.serving.duckdb for NAME.duckdb)",
        )
        return sub

    def add_writer_options(sub: argparse.ArgumentParser, publishes: bool = True) -> None:
        sub.add_argument(
            "--lock-timeout",
            type=float,
            metavar="SECONDS",
            help="wait this long for another build or load of the warehouse (default: "
            "$LEADSCORE_LOCK_TIMEOUT or 600)",
        )
        if publishes:
            sub.add_argument(
                "--serving-storage-version",
                type=_given("a storage version", "leave the option out for v1.0.0"),
                metavar="VERSION",
                help="DuckDB storage format of the serving file (default: $LEADSCORE_SERVING_STORAGE_VERSION "
                "or v1.0.0, readable by DuckDB 1.x; 'latest' for this DuckDB's own format)",
            )
            sub.add_argument(
                "--force",
                action="store_true",
                help="publish even when the new lead_scores holds fewer than half the serving file's leads "
                "(by default such a publish is refused: the build of a wrong or half-loaded warehouse)",
            )

    def add_verbose(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--verbose",
            action="store_true",
            help="show dbt's own lines (one per node) instead of a line per stage; they always go to logs/dbt.log",
        )

    load = add("load", "land raw files (contacts, accounts, events, ...) into the warehouse")
    load.add_argument(
        "directory", type=_given("a directory", "give the directory of the raw files"), help="directory of raw files"
    )
    load.add_argument(
        "--source",
        metavar="SYSTEM",
        type=_source_system,
        help="the files are a connector's tables (contact.csv, pages.jsonl, ...) of SYSTEM: hubspot, salesforce, "
        "marketo, segment or rudderstack; each lands as it is in the schema SYSTEM (docs/sources.md)",
    )
    add_writer_options(load, publishes=False)
    load.set_defaults(handler=_cmd_load)

    build = add("build", "run the dbt build (seeds, models, tests) as of a date")
    build.add_argument("--as-of", type=_as_of, help="scoring instant, ISO-8601 (default: now, UTC)")
    build.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    build.add_argument("--target", type=_given("a dbt target", "leave --target out for duckdb"),
                       help="dbt target (default: duckdb)")
    build.add_argument("--vars", type=_given("a YAML mapping", "leave --vars out for the project's vars"),
                       help="dbt vars as YAML, e.g. \"{decay_method: linear}\"")
    build.add_argument(
        "--publish-backfill",
        action="store_true",
        help="publish even when --as-of is earlier than the serving file's (by default a backfill "
        "builds and tests the warehouse but leaves readers the later scores)",
    )
    add_writer_options(build)
    add_verbose(build)
    build.set_defaults(handler=_cmd_build)

    explain = add("explain", "one lead from the serving file: every contribution to its score, grade, tier, MQL status")
    lead = explain.add_mutually_exclusive_group(required=True)
    lead.add_argument("contact_id", nargs="?", metavar="CONTACT_ID", help="the contact to explain")
    lead.add_argument("--email", help="the contact with this email (case-insensitive)")
    explain.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or one JSON object")
    explain.set_defaults(handler=_cmd_explain)

    export = add("export", "write the MQL list")
    export.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv")
    export.add_argument("--out", type=_PATH, default="data/exports", help="output directory (default data/exports)")
    export.add_argument(
        "--new-only",
        action="store_true",
        help="only the MQLs no earlier --new-only export carried, to DIR/mql_leads_new_<export id>.<format>, "
        "logged in the warehouse (ops.mql_export_log)",
    )
    add_writer_options(export, publishes=False)
    export.set_defaults(handler=_cmd_export)

    sync = add("sync", "write crm_lead_sync's rows for a CRM import and record the sync")
    sync.add_argument("--changed-only", action="store_true", help="only the rows changed since they were last synced")
    sync.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    sync.add_argument("--out", type=_PATH, default="data/exports", help="output directory (default data/exports)")
    add_writer_options(sync, publishes=False)
    sync.set_defaults(handler=_cmd_sync)

    forget = add("forget", "erase a person from raw and derived tables, the serving file and the export log")
    person = forget.add_mutually_exclusive_group(required=True)
    person.add_argument("--email", type=_given("an email"), help="every contact with this email (case-insensitive)")
    person.add_argument("--contact-id", type=_given("a contact id"), help="this contact")
    add_writer_options(forget)
    forget.set_defaults(handler=_cmd_forget)

    run = add("run", "the main job: load (demo data when no input), build, export, summary")
    run.add_argument("--input", type=_PATH, help="directory of raw files (default: generate demo data)")
    run.add_argument("--out", type=_PATH, default="data/exports", help="export directory (default data/exports)")
    run.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv")
    run.add_argument("--contacts", type=int, default=2000, help="demo contacts to generate (default 2000)")
    run.add_argument("--as-of", type=_as_of, help="scoring instant, ISO-8601 (default: now, UTC)")
    add_writer_options(run)
    add_verbose(run)
    run.set_defaults(handler=_cmd_run)

    calibrate = add("calibrate", "discover rules and points in the point-in-time backtest: a new grid, a threshold")
    calibrate.add_argument("--name", help="the new grid's name (default calibrated_<UTC date>_<time>); never reused")
    calibrate.add_argument("--max-points", type=float, default=100.0, metavar="POINTS",
                           help="warn about a rule beyond this many points either way (default 100)")
    share = calibrate.add_mutually_exclusive_group()
    share.add_argument("--mql-share", type=float, metavar="PCT",
                       help="threshold keeping this percentage of leads (default 15)")
    share.add_argument("--capacity", type=float, metavar="LEADS",
                       help="threshold for a sales capacity of this many leads a month")
    calibrate.add_argument("--dry-run", action="store_true", help="print the proposal, write no grid")
    calibrate.set_defaults(handler=_cmd_calibrate)

    report = add("report", "write one self-contained HTML page of charts from the serving file")
    report.add_argument("--out", type=_PATH, default="data/reports", help="output directory (default data/reports)")
    report.set_defaults(handler=_cmd_report)
    # Commands of other installed packages (leadscore_dev: generate, bench), never imported by this one.
    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda entry: entry.name):
        entry.load()(commands, add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.handler(args)
    except LeadscoreError as error:
        print(f"leadscore: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("leadscore: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
