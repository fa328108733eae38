"""Command line: ``python -m roadmap inspect|validate|plan|export|snapshot|freeze|progress|user|audit …``
(see ``--help``).

Whoever runs the CLI acts as an admin (:func:`roadmap.security.roles.cli_actor`): on the server, they can
read and write the database file anyway. ``user add|remove|list`` manages the app's accounts.

Exit codes: 0 success; 1 the workbook has blocking issues or cannot be read (listed on stderr
with sheet, row and column); 2 bad command-line usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from roadmap.analysis import Analysis, analyse_roadmap, crashing_sentence, explain_analysis, forecast_analysis
from roadmap.errors import ExportError, InvalidWorkbookError, RoadmapError, StoreError, WorkbookError
from roadmap.importing.load import condense_issues, load_roadmap, load_workbook
from roadmap.importing.mapping import ColumnMapping, inspect_workbook, read_mapping_file, suggested_mapping
from roadmap.models import Roadmap
from roadmap.planning.forecast import DEFAULT_SEED
from roadmap.progress import progress_report
from roadmap.security.accounts import (
    add_user,
    change_password,
    disable_user,
    enable_user,
    list_users,
    remove_user,
    reset_password,
)
from roadmap.security.roles import Actor, Role, cli_actor
from roadmap.store.audit import audit_log, export_audit, verify_audit
from roadmap.store.database import open_store
from roadmap.store.snapshots import content_hash, freeze_plan, latest_frozen_plan, record_snapshot, snapshots, sources


def _count(count: int, noun: str) -> str:
    """``1 warning``, ``2 warnings``: an English count with its noun in the singular or the plural
    (the CLI speaks English; a noun here takes an ``s``)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _weeks(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of weeks ≥ 1, got {text!r}")
    return int(text)


def _runs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"expected a number of runs between 1 and 100000, got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected a number of seconds between 0 and 3600, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m roadmap`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m roadmap", description="Rempart: compress a security hardening plan into sprints."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="header row and suggested column mapping of every sheet")
    inspect.add_argument("file", type=Path)
    inspect.add_argument("--json", action="store_true", help="print one JSON object")
    validate = commands.add_parser("validate", help="list every issue of a workbook; exit 1 if any blocks")
    validate.add_argument("file", type=Path)
    validate.add_argument("--json", action="store_true", help="print the issues as JSON")
    validate.add_argument("--mapping", type=Path, help="JSON column mapping for a workbook in another layout")
    plan = commands.add_parser("plan", help="compress the plan into sprints and print it with the risk figures")
    plan.add_argument("workbook", type=Path)
    plan.add_argument("--mapping", type=Path, help="JSON column mapping for a workbook in another layout")
    plan.add_argument("--start", type=_date, help="first day of the horizon, YYYY-MM-DD (default: Settings)")
    plan.add_argument("--horizon-weeks", type=_weeks, help="horizon in weeks (default: Settings, else 13)")
    plan.add_argument("--sprint-weeks", type=_weeks, help="sprint length in weeks (default: Settings, else 2)")
    plan.add_argument("--time-limit", type=_seconds, default=10.0, help="planner time limit in seconds (default 10)")
    plan.add_argument("--no-crashing", action="store_true", help="skip the 'what it would take' computation")
    plan.add_argument("--json", action="store_true", help="print one JSON object")
    plan.add_argument("--simulations", type=_runs, default=1000, help="Monte Carlo runs of the forecast (default 1000)")
    plan.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the forecast's random durations")
    export = commands.add_parser(
        "export",
        help="write the board exports (deck, report, plan workbook, chart images, tables) into a folder",
        description="Compress the plan as 'plan' does, then write the exports of each format into DIR and "
        "print the paths written, one a line.",
    )
    export.add_argument("workbook", type=Path)
    export.add_argument(
        "--format",
        dest="formats",
        nargs="+",
        required=True,
        choices=EXPORT_FORMATS,
        metavar="FORMAT",
        help="one or more of: " + ", ".join(EXPORT_FORMATS),
    )
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into (created)")
    export.add_argument("--lang", choices=("fr", "en"), default="fr", help="language of the exports (default fr)")
    export.add_argument("--start", type=_date, help="first day of the horizon, YYYY-MM-DD (default: Settings)")
    export.add_argument("--horizon-weeks", type=_weeks, help="horizon in weeks (default: Settings, else 13)")
    export.add_argument("--sprint-weeks", type=_weeks, help="sprint length in weeks (default: Settings, else 2)")
    export.add_argument("--time-limit", type=_seconds, default=10.0, help="planner time limit in seconds (default 10)")
    export.add_argument("--no-crashing", action="store_true", help="skip the 'what it would take' computation")
    export.add_argument("--mapping", type=Path, help="JSON column mapping for a workbook in another layout")
    db_help = "SQLAlchemy database URL (default: REMPART_DATABASE_URL, else SQLite in REMPART_DATA_DIR)"
    source_help = "establishment name (default: the workbook's establishment, else its file name)"
    export.add_argument(
        "--db",
        help="history database: with a frozen plan for the source, the deck and report add the progress against it "
        "(SPI, forecast end, late measures) and the status takes it into account",
    )
    export.add_argument("--source", help=source_help)
    snapshot = commands.add_parser("snapshot", help="save the workbook as a dated snapshot if its content changed")
    snapshot.add_argument("workbook", type=Path)
    snapshot.add_argument("--source", help=source_help)
    snapshot.add_argument("--at", type=_date, help="date of the snapshot, YYYY-MM-DD (default: today)")
    snapshot.add_argument("--mapping", type=Path, help="JSON column mapping for a workbook in another layout")
    snapshot.add_argument("--db", help=db_help)
    freeze = commands.add_parser("freeze", help="compress the plan and freeze it as the baseline for progress")
    freeze.add_argument("workbook", type=Path)
    freeze.add_argument("--source", help=source_help)
    freeze.add_argument("--by", help="who freezes it, as the audit log names them (default: the system user)")
    freeze.add_argument("--mapping", type=Path, help="JSON column mapping for a workbook in another layout")
    freeze.add_argument("--start", type=_date, help="first day of the horizon, YYYY-MM-DD (default: Settings)")
    freeze.add_argument("--horizon-weeks", type=_weeks, help="horizon in weeks (default: Settings, else 13)")
    freeze.add_argument("--sprint-weeks", type=_weeks, help="sprint length in weeks (default: Settings, else 2)")
    freeze.add_argument("--time-limit", type=_seconds, default=10.0, help="planner time limit in seconds (default 10)")
    freeze.add_argument("--db", help=db_help)
    progress = commands.add_parser("progress", help="earned value against the frozen plan: PV, EV, SPI, late")
    progress.add_argument("--source", help="establishment name (default: the only one in the database)")
    progress.add_argument("--as-of", type=_date, help="date of the report, YYYY-MM-DD (default: latest snapshot)")
    progress.add_argument("--db", help=db_help)
    progress.add_argument("--json", action="store_true", help="print one JSON object")
    user = commands.add_parser(
        "user", help="manage the app's accounts: add, remove, list, passwd, reset, disable, enable"
    )
    user_commands = user.add_subparsers(
        dest="user_command", required=True, metavar="add|remove|list|passwd|reset|disable|enable"
    )
    add = user_commands.add_parser("add", help="add a local account (asks for its password) or an OIDC identity")
    add.add_argument("name", help="login name, or for --oidc the e-mail the identity provider gives")
    add.add_argument("--role", choices=[str(r) for r in Role], required=True, help="viewer, editor or admin")
    add.add_argument("--oidc", action="store_true", help="an identity of the hospital's OIDC provider (no password)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--db", help=db_help)
    add.add_argument("--must-change", action="store_true", help="the user must change the password at first login")
    remove = user_commands.add_parser("remove", help="remove an account (disable it instead to keep it named)")
    remove.add_argument("name")
    remove.add_argument("--db", help=db_help)
    passwd = user_commands.add_parser("passwd", help="change your own password (asks for the current one)")
    reset = user_commands.add_parser("reset", help="set a new password; the user must change it at next login")
    disable = user_commands.add_parser("disable", help="disable an account: no more sign-in, history kept")
    enable = user_commands.add_parser("enable", help="enable a disabled account again")
    for sub in (passwd, reset, disable, enable):
        sub.add_argument("name")
        sub.add_argument("--db", help=db_help)
    for sub in (passwd, reset):
        sub.add_argument(
            "--password-stdin", action="store_true", help="read the passwords from standard input, one a line"
        )
    listing = user_commands.add_parser("list", help="list the accounts and their roles")
    listing.add_argument("--json", action="store_true", help="print one JSON list")
    listing.add_argument("--db", help=db_help)
    audit = commands.add_parser(
        "audit", help="export the audit log (who, when, what: old → new), or verify its hash chain (audit verify)"
    )
    audit.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    audit.add_argument("--out", type=Path, help="file to write (default: standard output)")
    audit.add_argument("--db", help=db_help)
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="verify")
    verify = audit_commands.add_parser(
        "verify", help="check the hash chain: exit 0 when intact, 1 naming the first entry that does not verify"
    )
    # SUPPRESS: without it, the sub-command's own default (None) would overwrite an --db given before
    # it (``audit --db URL verify``), and the default database would be verified instead
    verify.add_argument("--db", help=db_help, default=argparse.SUPPRESS)
    return parser


EXPORT_FORMATS = ("pptx", "pdf", "xlsx", "png", "svg", "csv", "json")
"""Formats of ``python -m roadmap export --format``."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "inspect":
            return _inspect(args.file, as_json=args.json)
        if args.command == "validate":
            return _validate(args.file, as_json=args.json, mapping=args.mapping)
        if args.command == "export":
            return _export(args)
        if args.command == "snapshot":
            return _snapshot(args)
        if args.command == "freeze":
            return _freeze(args)
        if args.command == "progress":
            return _progress(args)
        if args.command == "user":
            return _user(args)
        if args.command == "audit":
            return _audit(args)
        return _plan(args)
    except InvalidWorkbookError as exc:
        for issue in condense_issues(exc.issues):
            print(issue.describe(), file=sys.stderr)
        print(_count(sum(i.severity == "error" for i in exc.issues), "blocking issue") + ".", file=sys.stderr)
        return 1
    except RoadmapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _inspect(path: Path, *, as_json: bool) -> int:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"cannot read '{path}': {exc.strerror or exc}") from exc
    inspection = inspect_workbook(data, filename=path.name)
    if as_json:
        print(json.dumps(inspection.to_json(), ensure_ascii=False, indent=2))
        return 0
    text = f" (encoding {inspection.encoding}, delimiter {inspection.delimiter!r})" if inspection.encoding else ""
    print(f"{inspection.file}: {inspection.format}{text}")
    for sheet in inspection.sheets:
        header = f"header on row {sheet.header_row}" if sheet.header_row else "no header"
        print(f"\n[{sheet.name}] {sheet.role} — {header}, {_count(sheet.data_rows, 'data row')}; {sheet.reason}")
        for column in sheet.columns:
            if column.field:
                print(f"  {column.header[:40]:<42} → {column.field:<16} {column.confidence:.2f}")
    mapping = suggested_mapping(inspection)
    if mapping is not None:
        print("\nSuggested mapping (save as JSON, correct it, then pass it with --mapping):")
        print(mapping.model_dump_json(indent=2))
    return 0


def _mapping(path: Path | None) -> ColumnMapping | None:
    return read_mapping_file(path) if path is not None else None


def _validate(path: Path, *, as_json: bool, mapping: Path | None = None) -> int:
    result = load_workbook(path, mapping=_mapping(mapping))
    if as_json:
        print(json.dumps([issue.model_dump() for issue in result.issues], ensure_ascii=False, indent=2))
    else:
        if result.source is not None:  # an export of GLPI, Jira or MS Project: which, and what was converted
            print(f"{path.name}: an export of {result.source.name} ({result.source.kind}), read with no column mapping")
            for conversion in result.source.conversions[1:]:
                print(f"  - {conversion.text('en')}")
        for issue in condense_issues(result.issues):
            print(issue.describe())
        roadmap = result.roadmap
        print(
            f"{path.name}: {len(roadmap.measures)} measures, {len(roadmap.risks)} risks, {len(roadmap.teams)} teams; "
            f"{_count(len(result.errors), 'error')}, {_count(len(result.issues) - len(result.errors), 'warning')}."
        )
    return 0 if result.ok else 1


def _analyse(args: argparse.Namespace) -> Analysis:
    """Load the workbook (warnings on stderr) and plan it with the command's options."""
    roadmap, warnings = load_roadmap(args.workbook, mapping=_mapping(args.mapping))
    for issue in warnings:
        print(issue.describe(), file=sys.stderr)
    return analyse_roadmap(
        roadmap,
        start=args.start,
        horizon_weeks=args.horizon_weeks,
        sprint_weeks=args.sprint_weeks,
        time_limit=args.time_limit,
        crashing=not args.no_crashing,
    )


def _plan(args: argparse.Namespace) -> int:
    analysis = _analyse(args)
    if args.json:
        data = analysis.to_json(
            forecast=forecast_analysis(analysis, simulations=args.simulations, seed=args.seed),
            explanation=explain_analysis(analysis),
        )
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_describe(analysis))
        forecast = forecast_analysis(analysis, simulations=args.simulations, seed=args.seed)
        quantiles = (forecast.p50_end, forecast.p80_end, forecast.p95_end)
        ends = " / ".join("–" if d is None else d.isoformat() for d in quantiles)
        print(
            f"Forecast ({forecast.simulations} Monte Carlo runs of the plan): "
            f"{forecast.on_time_probability:.0%} chance "
            f"that every measure the plan must place ends by {forecast.horizon_end.isoformat()} "
            f"({forecast.plan_on_time_probability:.0%} for the {len(analysis.plan.scheduled)} scheduled); "
            f"last end P50 / P80 / P95: {ends}."
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    from roadmap import exports  # python-pptx, fpdf2 and kaleido load only for this command

    analysis = _analyse(args)
    today, lang = dt.date.today(), args.lang
    formats = list(dict.fromkeys(args.formats))
    progress = None
    if args.db is not None:
        engine = open_store(args.db)
        source = _source_name(args.source, analysis.roadmap, args.workbook)
        frozen = latest_frozen_plan(engine, source)
        progress = progress_report(frozen, snapshots(engine, source)) if frozen is not None else None
    renderer = exports.ImageRenderer() if {"pdf", "png", "svg"} & set(formats) else None
    try:
        for fmt in formats:
            files: dict[str, bytes] = {}
            if fmt == "pptx":
                files[exports.export_filename(analysis, "deck", "pptx", today=today)] = exports.build_deck(
                    analysis, lang=lang, today=today, progress=progress
                )
            elif fmt == "pdf":
                name = exports.export_filename(analysis, "report", "pdf", today=today)
                files[name] = exports.build_pdf(analysis, lang=lang, today=today, renderer=renderer, progress=progress)
            elif fmt == "xlsx":
                source = args.workbook.read_bytes()
                ext = exports.plan_extension(args.workbook.name)
                name = exports.export_filename(analysis, "plan", ext, today=today)
                files[name] = exports.build_plan_xlsx(analysis, source, filename=args.workbook.name)
            elif fmt in ("png", "svg"):
                files.update(exports.chart_images(analysis, lang=lang, fmt=fmt, today=today, renderer=renderer))
            else:
                writer = exports.to_csv if fmt == "csv" else exports.to_json
                for kind, frame in exports.tables(analysis, lang=lang).items():
                    files[exports.export_filename(analysis, kind, fmt, today=today)] = writer(frame)
            for name, data in files.items():
                print(_write_file(args.out / name, data))
    finally:
        if renderer is not None:
            renderer.close()
    return 0


def _write_file(path: Path, data: bytes) -> Path:
    """Write atomically (temporary file, then rename) so that a scheduled job never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from exc
    return path


def _describe(analysis: Analysis) -> str:
    plan, risk = analysis.plan, analysis.risk
    titles = {m.id: m.title for m in analysis.roadmap.measures}
    lines = [
        f"Horizon {plan.start:%d/%m/%Y} → {plan.end:%d/%m/%Y}: {len(plan.days)} working days, "
        f"{len(plan.sprints)} sprints.",
        f"{len(analysis.roadmap.measures)} measures: {analysis.measures_done} done, "
        f"{len(analysis.roadmap.measures) - analysis.measures_counted} cancelled, {len(plan.scheduled)} scheduled, "
        f"{len(plan.deferred)} deferred.",
        f"Residual risk (sum of scores): inherent {risk.inherent:.1f}, now {risk.now:.1f}, "
        f"end of plan {risk.end_of_plan:.1f}, 3-year baseline at the horizon {risk.baseline_at_horizon:.1f}.",
        "Cumulative exposure over the horizon (risk-days): "
        + ", ".join(f"{name} {value:,.0f}" for name, value in analysis.exposure.items())
        + ".",
    ]
    solver = analysis.solver
    if solver.status == "OPTIMAL":
        quality = "proven the best possible plan"
    elif solver.gap is not None:
        bound = solver.exposure_lower_bound or 0.0
        quality = f"at most {solver.gap:.1%} above the best possible plan (lower bound {bound:,.0f} risk-days)"
    else:
        quality = "no lower bound in the time limit"
    lines.append(
        f"Planner: {solver.rule or 'none'}, {quality}, {solver.seconds:.1f} s; "
        f"done by the horizon: naive {len(analysis.naive.scheduled)}, greedy {len(analysis.greedy.scheduled)}, "
        f"optimised {len(plan.scheduled)} (plus {analysis.measures_done} already done)."
    )
    if analysis.crashing is not None:
        lines.append(crashing_sentence(analysis))
    for sprint in plan.sprints:
        lines.append(f"\nSprint {sprint.index} ({sprint.start:%d/%m} → {sprint.end:%d/%m}), measures ending in it:")
        for m in (m for m in plan.scheduled if m.sprint == sprint.index):
            lines.append(f"  {m.id:<8} {m.team:<28} {m.start:%d/%m}–{m.end:%d/%m}  {titles[m.id]}")
    if plan.deferred:
        lines.append("\nDeferred:")
        lines.extend(f"  {d.id:<8} {d.reason:<12} {d.detail}" for d in plan.deferred)
    return "\n".join(lines)


def _source_name(given: str | None, roadmap: Roadmap, workbook: Path) -> str:
    return given or roadmap.settings.establishment or workbook.stem


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"cannot read '{path}': {exc.strerror or exc}") from exc


def _snapshot(args: argparse.Namespace) -> int:
    data = _read(args.workbook)
    roadmap, _ = load_roadmap(data, filename=args.workbook.name, mapping=_mapping(args.mapping))
    source = _source_name(args.source, roadmap, args.workbook)
    taken_at = args.at or dt.date.today()
    engine = open_store(args.db)
    added = record_snapshot(engine, source, roadmap, taken_at=taken_at, content_hash=content_hash(data), by=cli_actor())
    if added is None:
        print(f"No change since the latest snapshot of '{source}': nothing added.")
    else:
        print(f"Snapshot added for '{source}' on {taken_at.isoformat()} ({len(added.measures)} measures).")
    return 0


def _freeze(args: argparse.Namespace) -> int:
    roadmap, _ = load_roadmap(_read(args.workbook), filename=args.workbook.name, mapping=_mapping(args.mapping))
    source = _source_name(args.source, roadmap, args.workbook)
    engine = open_store(args.db)  # before the solve: a bad database URL fails fast
    analysis = analyse_roadmap(
        roadmap,
        start=args.start,
        horizon_weeks=args.horizon_weeks,
        sprint_weeks=args.sprint_weeks,
        time_limit=args.time_limit,
        crashing=False,
    )
    by = Actor(args.by, Role.ADMIN, "cli") if args.by else cli_actor()
    frozen = freeze_plan(engine, source, analysis, by=by, at=dt.datetime.now(dt.UTC))
    scheduled = sum(m.start is not None for m in frozen.measures)
    print(
        f"Plan version {frozen.id} frozen for '{source}' by {frozen.frozen_by}: {scheduled} scheduled measures, "
        f"{frozen.start.isoformat()} → {frozen.end.isoformat()}."
    )
    return 0


def _progress(args: argparse.Namespace) -> int:
    engine = open_store(args.db)
    source = args.source
    if source is None:
        names = sources(engine)
        if len(names) != 1:
            listed = ", ".join(f"'{n}'" for n in names) or "none yet (run: python -m roadmap snapshot WORKBOOK)"
            raise StoreError(f"choose a source with --source; sources in the database: {listed}")
        source = names[0]
    plan = latest_frozen_plan(engine, source)
    if plan is None:
        raise StoreError(f"no frozen plan for '{source}': run python -m roadmap freeze WORKBOOK --source '{source}'")
    report = progress_report(plan, snapshots(engine, source), as_of=args.as_of)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    spi = "n/a" if report.spi is None else f"{report.spi:.2f}"
    forecast = report.forecast_end.isoformat() if report.forecast_end else "n/a"
    print(
        f"'{source}' as of {report.as_of.isoformat()} ({_count(report.snapshots, 'snapshot')}; "
        f"plan version {plan.id} frozen "
        f"{plan.frozen_at:%Y-%m-%d} by {plan.frozen_by}):\n"
        f"  planned value {report.pv:.1f} person-days, earned value {report.ev:.1f} person-days, SPI {spi}\n"
        f"  forecast end {forecast} (plan ends {plan.end.isoformat()})\n"
        f"  late: {', '.join(report.late) or 'none'}"
    )
    return 0


def _user(args: argparse.Namespace) -> int:
    engine = open_store(args.db)
    if args.user_command == "list":
        accounts = list_users(engine)
        if args.json:
            rows = [
                {
                    "name": a.name,
                    "role": str(a.role),
                    "kind": a.kind,
                    "created_at": a.created_at.isoformat(),
                    "enabled": a.enabled,
                    "must_change_password": a.must_change_password,
                }
                for a in accounts
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        for a in [] if args.json else accounts:
            locked = f", locked until {a.locked_until:%Y-%m-%d %H:%M} UTC" if a.locked_until else ""
            disabled = f", DISABLED on {a.disabled_at:%Y-%m-%d} by {a.disabled_by}" if a.disabled_at else ""
            must = ", must change its password" if a.must_change_password else ""
            print(
                f"{a.name}\t{a.role}\t{a.kind}\tadded {a.created_at:%Y-%m-%d} by {a.created_by}{locked}{disabled}{must}"
            )
        if not accounts and not args.json:
            print("No accounts: the app serves 127.0.0.1 only, without login. Add one with: user add NAME --role admin")
        return 0
    if args.user_command == "remove":
        remove_user(engine, args.name, by=cli_actor())
        print(f"Account '{args.name}' removed.")
        return 0
    if args.user_command in ("disable", "enable"):
        (disable_user if args.user_command == "disable" else enable_user)(engine, args.name, by=cli_actor())
        print(f"Account '{args.name}' {args.user_command}d.")
        return 0
    if args.user_command == "passwd":
        current = _read_secret("Current password: ", from_stdin=args.password_stdin)
        change_password(engine, args.name, current=current, new=_new_password(from_stdin=args.password_stdin))
        print(f"Password of '{args.name}' changed.")
        return 0
    if args.user_command == "reset":
        reset_password(engine, args.name, new=_new_password(from_stdin=args.password_stdin), by=cli_actor())
        print(f"Password of '{args.name}' reset: it must be changed at the next login.")
        return 0
    password = None if args.oidc else _new_password(from_stdin=args.password_stdin)
    account = add_user(
        engine, args.name, role=Role(args.role), password=password, by=cli_actor(), must_change=args.must_change
    )
    print(f"Account '{account.name}' added: {account.role} ({account.kind}).")
    return 0


def _read_secret(prompt: str, *, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(prompt)


def _new_password(*, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password (12 characters or more, not a common one; a passphrase is best): ")
    if getpass.getpass("Same password again: ") != first:
        raise StoreError("the two passwords differ: nothing was changed")
    return first


def _audit(args: argparse.Namespace) -> int:
    if args.audit_command == "verify":
        check = verify_audit(open_store(args.db))
        print(check.describe(), file=sys.stdout if check.intact else sys.stderr)
        if check.intact and check.head_hash:
            print(f"head: {check.head_hash} (keep it elsewhere: a log rebuilt later would have another head)")
        return 0 if check.intact else 1
    payload = export_audit(audit_log(open_store(args.db), limit=None), fmt=args.format)
    if args.out is None:
        sys.stdout.write(payload.decode("utf-8-sig"))
        return 0
    try:
        args.out.write_bytes(payload)
    except OSError as exc:
        raise StoreError(f"cannot write '{args.out}': {exc.strerror or exc}") from exc
    print(f"Audit log written to {args.out} ({args.format}).")
    return 0
