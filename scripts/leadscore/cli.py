"""The ``leadscore`` command: argument parsing and one clear line per user mistake."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from leadscore.errors import LeadscoreError
from leadscore.paths import resolve_db


def _say(message: str) -> None:
    print(message, flush=True)


def _optional_path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _cmd_generate(args: argparse.Namespace) -> None:
    from leadscore.generate import generate

    counts = generate(
        out_dir=Path(args.out),
        contacts=args.contacts,
        days=args.days,
        seed=args.seed,
        end_date=args.end_date,
        file_format=args.format,
        progress=_say,
    )
    for entity, rows in counts.items():
        _say(f"  {entity:<20} {rows:>12,} rows")
    _say(f"Wrote raw files to {Path(args.out).resolve()}")


def _cmd_load(args: argparse.Namespace) -> None:
    from leadscore.load import load_directory

    report = load_directory(
        resolve_db(args.db), Path(args.directory), progress=_say, lock_timeout=args.lock_timeout
    )
    _say(report.format_table())


def _cmd_build(args: argparse.Namespace) -> None:
    from leadscore.build import build

    build(
        resolve_db(args.db),
        as_of=args.as_of,
        full_refresh=args.full_refresh,
        target=args.target,
        vars_yaml=args.vars,
        progress=_say,
        serving=_optional_path(args.serving),
        storage_version=args.serving_storage_version,
        lock_timeout=args.lock_timeout,
    )


def _cmd_export(args: argparse.Namespace) -> None:
    from leadscore.export import export_mqls

    path, rows = export_mqls(resolve_db(args.db), Path(args.out), args.format, serving=_optional_path(args.serving))
    _say(f"Wrote {rows:,} MQLs to {path}")


def _cmd_run(args: argparse.Namespace) -> None:
    from leadscore.run import run_main_job

    run_main_job(
        resolve_db(args.db),
        input_dir=Path(args.input) if args.input else None,
        out_dir=Path(args.out),
        file_format=args.format,
        contacts=args.contacts,
        as_of=args.as_of,
        progress=_say,
        serving=_optional_path(args.serving),
        storage_version=args.serving_storage_version,
        lock_timeout=args.lock_timeout,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadscore", description="Lead scoring as code: load, score, explain, export."
    )
    parser.add_argument("--version", action="version", version="leadscore 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", help="warehouse file (default: $LEADSCORE_DB or data/warehouse.duckdb)")
        sub.add_argument(
            "--serving",
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
                metavar="VERSION",
                help="DuckDB storage format of the serving file (default: $LEADSCORE_SERVING_STORAGE_VERSION "
                "or v1.0.0, readable by DuckDB 1.x; 'latest' for this DuckDB's own format)",
            )

    gen = add("generate", "write deterministic synthetic raw files in the raw contract")
    gen.add_argument("--out", required=True, help="directory to write the files to")
    gen.add_argument("--contacts", type=int, default=2000, help="number of contacts (default 2000)")
    gen.add_argument("--days", type=int, default=180, help="days of events (default 180)")
    gen.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    gen.add_argument("--end-date", help="last day of events, YYYY-MM-DD (default: today, UTC)")
    gen.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv")
    gen.set_defaults(handler=_cmd_generate)

    load = add("load", "land raw files (contacts, accounts, events, ...) into the warehouse")
    load.add_argument("directory", help="directory of raw files")
    add_writer_options(load, publishes=False)
    load.set_defaults(handler=_cmd_load)

    build = add("build", "run the dbt build (seeds, models, tests) as of a date")
    build.add_argument("--as-of", help="scoring instant, ISO-8601 (default: now, UTC)")
    build.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    build.add_argument("--target", help="dbt target (default: duckdb)")
    build.add_argument("--vars", help="dbt vars as YAML, e.g. \"{decay_method: linear}\"")
    add_writer_options(build)
    build.set_defaults(handler=_cmd_build)

    export = add("export", "write the MQL list")
    export.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv")
    export.add_argument("--out", default="data/exports", help="output directory (default data/exports)")
    export.set_defaults(handler=_cmd_export)

    run = add("run", "the main job: load (demo data when no input), build, export, summary")
    run.add_argument("--input", help="directory of raw files (default: generate demo data)")
    run.add_argument("--out", default="data/exports", help="export directory (default data/exports)")
    run.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv")
    run.add_argument("--contacts", type=int, default=2000, help="demo contacts to generate (default 2000)")
    run.add_argument("--as-of", help="scoring instant, ISO-8601 (default: now, UTC)")
    add_writer_options(run)
    run.set_defaults(handler=_cmd_run)
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
