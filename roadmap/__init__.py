"""Rempart's domain package: load a hardening workbook, compress the plan, model residual risk.

Pure Python: never imports Streamlit. One package per stage of the pipeline (PRODUCT.md §3), in
the order the data flows:

* :mod:`roadmap.importing`: a file's bytes → :class:`Roadmap` + issues (:func:`load_workbook`);
* :mod:`roadmap.planning`: :class:`Roadmap` → :class:`Plan` (:func:`compress_plan`, :func:`optimise_plan`);
* :mod:`roadmap.risk`: residual risk; :mod:`roadmap.analysis` runs planning and risk in one call
  (:func:`analyse_roadmap`); :mod:`roadmap.charts` (date axes by :mod:`roadmap.chart_axes`) and
  :mod:`roadmap.wording` show them;
* :mod:`roadmap.exports`: board exports, imported on its own (it loads python-pptx, fpdf2 and kaleido);
* :mod:`roadmap.store`: history (snapshots, frozen plans, audit log), which feeds earned value
  (:mod:`roadmap.progress`, :func:`progress_report`);
* :mod:`roadmap.security`: every write takes the acting :class:`Actor` and checks its :class:`Role`;
  accounts and logins; :mod:`roadmap.editing` reviews the IT team's edits (change list, checks) and
  :mod:`roadmap.writeback` writes them back to the workbook.

:mod:`roadmap.models`, :mod:`roadmap.errors` and :mod:`roadmap.i18n` serve every stage;
:mod:`roadmap.cli` is ``python -m roadmap``.
"""

from roadmap.analysis import Analysis, analyse_roadmap, explain_analysis, forecast_analysis
from roadmap.editing import EditReview, review_edits
from roadmap.errors import (
    AccessError,
    AuthenticationError,
    CellValueError,
    ConcurrentEditError,
    ExportError,
    InvalidWorkbookError,
    NotASpreadsheetError,
    PermissionDeniedError,
    PlanningError,
    RoadmapError,
    StoreError,
    UnsafeFileError,
    WorkbookError,
)
from roadmap.i18n import LANGUAGES, format_day, format_number, format_percent, translation
from roadmap.importing.load import LoadResult, condense_issues, load_roadmap, load_workbook
from roadmap.importing.mapping import ColumnMapping, inspect_workbook, suggested_mapping
from roadmap.importing.tables import read_tables
from roadmap.importing.template import build_template
from roadmap.models import Issue, Measure, Mitigation, Priority, Risk, Roadmap, Settings, Status, Team
from roadmap.planning.calendar import Sprint, working_days
from roadmap.planning.explain import Explanation, explain_plan
from roadmap.planning.forecast import Forecast, forecast_plan
from roadmap.planning.optimise import Crashing, SolverReport, crash_plan, optimise_plan, plan_exposure, with_capacity
from roadmap.planning.plan import DeferReason, DeferredMeasure, Plan, ScheduledMeasure, schedule_table, team_load
from roadmap.planning.schedule import compress_plan
from roadmap.progress import ProgressReport, progress_report, team_performance
from roadmap.risk import RiskSummary, exposure, residual_scores, risk_table, risk_trajectory, total_residual
from roadmap.security.accounts import Account, add_user, authenticate, list_users, remove_user
from roadmap.security.roles import Actor, Role, require_role
from roadmap.store.audit import AuditEntry, ChainCheck, audit_log, export_audit, verify_audit
from roadmap.store.database import RempartSettings, open_store
from roadmap.store.snapshots import FrozenPlan, Snapshot, freeze_plan, latest_frozen_plan, record_snapshot, snapshots
from roadmap.writeback import MeasureEdit, apply_edits, write_back

__all__ = [  # noqa: RUF022 (plain sorted order, as tests/test_exported_members.py checks)
    "AccessError",
    "Account",
    "Actor",
    "Analysis",
    "AuditEntry",
    "AuthenticationError",
    "CellValueError",
    "ChainCheck",
    "ColumnMapping",
    "ConcurrentEditError",
    "Crashing",
    "DeferReason",
    "DeferredMeasure",
    "EditReview",
    "Explanation",
    "ExportError",
    "Forecast",
    "FrozenPlan",
    "InvalidWorkbookError",
    "Issue",
    "LANGUAGES",
    "LoadResult",
    "Measure",
    "MeasureEdit",
    "Mitigation",
    "NotASpreadsheetError",
    "PermissionDeniedError",
    "Plan",
    "PlanningError",
    "Priority",
    "ProgressReport",
    "RempartSettings",
    "Risk",
    "RiskSummary",
    "Roadmap",
    "RoadmapError",
    "Role",
    "ScheduledMeasure",
    "Settings",
    "Snapshot",
    "SolverReport",
    "Sprint",
    "Status",
    "StoreError",
    "Team",
    "UnsafeFileError",
    "WorkbookError",
    "add_user",
    "analyse_roadmap",
    "apply_edits",
    "audit_log",
    "authenticate",
    "build_template",
    "compress_plan",
    "condense_issues",
    "crash_plan",
    "explain_analysis",
    "explain_plan",
    "export_audit",
    "exposure",
    "forecast_analysis",
    "forecast_plan",
    "format_day",
    "format_number",
    "format_percent",
    "freeze_plan",
    "inspect_workbook",
    "latest_frozen_plan",
    "list_users",
    "load_roadmap",
    "load_workbook",
    "open_store",
    "optimise_plan",
    "plan_exposure",
    "progress_report",
    "read_tables",
    "record_snapshot",
    "remove_user",
    "require_role",
    "residual_scores",
    "review_edits",
    "risk_table",
    "risk_trajectory",
    "schedule_table",
    "snapshots",
    "suggested_mapping",
    "team_load",
    "team_performance",
    "total_residual",
    "translation",
    "verify_audit",
    "with_capacity",
    "working_days",
    "write_back",
]
