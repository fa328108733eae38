"""Données — the workbook as read: sheets used, column mapping, every issue, the measures, templates."""

import pandas as pd
import streamlit as st

from app_pages.access import can_edit, role_name
from app_pages.context import SAMPLE, cached_inspect, configured_workbook, today
from app_pages.edit_tables import (
    EDITOR_DATE_FORMAT,
    change_label,
    changes_frame,
    edits_from_table,
    problem_lines,
    written_frame,
)
from app_pages.grid import show_table
from app_pages.import_steps import apply_mapping, history_step, remembered_mapping, validation_report
from app_pages.limits import server_busy
from app_pages.saving import save_review
from app_pages.tables import measure_columns, measures_frame, value_frame
from app_pages.translation import _, field_labels, language, md, ngettext, statuses
from roadmap import RoadmapError
from roadmap.editing import review_edits
from roadmap.errors import ServerBusyError
from roadmap.importing.columns import MEASURE_COLUMNS
from roadmap.importing.mapping import ColumnMapping, missing_fields, suggest_columns
from roadmap.importing.template import build_template

context = st.session_state["context"]
result = context.result

st.title(_("Data"))
st.write(_("Workbook: **{name}**").format(name=md(context.name)))
if result.source is not None:  # an export of GLPI, Jira or MS Project: say so, and what was converted
    kinds = {"tickets": _("tickets"), "project tasks": _("project tasks"), "issues": _("issues"), "tasks": _("tasks")}
    st.info(
        _("Export of **{tool}** ({kind}), recognised from its headers and read with no column mapping.").format(
            tool=md(result.source.name), kind=kinds.get(result.source.kind, result.source.kind)
        )
    )
    with st.expander(_("What was converted"), expanded=False):
        st.markdown("\n".join(f"- {md(c.text(language()))}" for c in result.source.conversions[1:]))
roles = {"measures": _("Measures"), "risks": _("Risks"), "teams": _("Teams"), "settings": _("Settings")}
st.dataframe(
    pd.DataFrame(
        [(sheet, roles.get(role or "", _("ignored"))) for sheet, role in result.sheets.items()],
        columns=[_("Sheet"), _("Read as")],
    ),
    hide_index=True,
    key="sheets",
)

# open when something is to ask or to fix here: no sheet of measures, values outside the vocabulary,
# blocking problems (a default team or effort may fix them), a remembered mapping in use
needs_mapping = (
    "measures" not in result.sheets.values()
    or bool(result.unknown_values)
    or not result.ok
    or context.remembered is not None
)
with st.expander(_("Column mapping (a workbook in another format)"), expanded=needs_mapping):
    remembered_mapping(context)
    try:
        inspection = cached_inspect(context.data, filename=context.name)
    except ServerBusyError:
        server_busy(context.name, st.session_state["user"])
        raise
    candidates = [s for s in inspection.sheets if s.header_row]
    if not candidates:
        st.info(_("No sheet of this file has a recognisable header row."))
    else:
        current = context.mapping
        names = [s.name for s in candidates]
        loaded = next((name for name, role in result.sheets.items() if role == "measures"), None)
        best = max(candidates, key=lambda s: (s.name == loaded, s.role == "measures", s.data_rows))
        sheet = st.selectbox(
            _("Measures sheet"),
            names,
            index=names.index(current.sheet if current and current.sheet in names else best.name),
            key="map_sheet",
        )
        info = next(s for s in candidates if s.name == sheet)
        st.caption(
            ngettext(
                "Header found on row {row}, {count} data row.",
                "Header found on row {row}, {count} data rows.",
                info.data_rows,
            ).format(row=info.header_row, count=info.data_rows)
        )
        columns = suggest_columns([c.header for c in info.columns], MEASURE_COLUMNS)
        labels = {"": _("(ignore)"), **field_labels()}
        column_col, field_col, confidence_col = _("Column"), _("Field"), _("Confidence")
        read = result.sheets.get(sheet) == "measures" and result.header_row == info.header_row
        as_read = dict(result.columns) if read else {}  # the columns as the file was read, else suggested
        table = pd.DataFrame(
            [(c.header, labels[as_read.get(c.header, c.field or "")], round(c.confidence, 2)) for c in columns],
            columns=[column_col, field_col, confidence_col],
        )
        edited = st.data_editor(
            table,
            hide_index=True,
            disabled=[column_col, confidence_col],
            key="map_columns",
            column_config={field_col: st.column_config.SelectboxColumn(options=list(labels.values()), required=True)},
        )
        vocabularies = {"status": statuses(), "priority": {p: p for p in ("P1", "P2", "P3", "P4")}}
        value_tables = {}
        for name, meanings in vocabularies.items():
            remembered = dict(current.values.get(name, {})) if current and current.sheet == sheet else {}
            values = value_frame(result, name, remembered, meanings) if read else pd.DataFrame()
            if values.empty:
                continue
            header = next((h for h, f in as_read.items() if f == name), name)
            st.markdown(
                _("**Values of column “{column}” outside the vocabulary** (asked once per value)").format(
                    column=md(header)
                )
            )
            value_tables[name] = st.data_editor(
                values,
                hide_index=True,
                disabled=[_("Value"), _("Rows")],
                key=f"map_values_{name}",
                column_config={
                    _("Read as"): st.column_config.SelectboxColumn(options=list(meanings.values()), required=True)
                },
            )
        team = st.text_input(_("Default team (empty cells)"), key="map_team")
        effort = st.number_input(
            _("Default effort (person-days, 0 = none)"), 0.0, 200.0, 0.0, format="%g", key="map_effort"
        )
        if st.button(_("Apply and remember this mapping"), key="map_apply", type="primary"):
            field_of = {label: name for name, label in labels.items()}
            chosen = {
                row[column_col]: field_of[row[field_col]]
                for row in edited.to_dict("records")
                if field_of[row[field_col]]
            }
            defaults: dict[str, str | float] = {"team": team} if team.strip() else {}
            if effort > 0:
                defaults["effort_days"] = effort
            assert info.header_row is not None
            meaning_of = {name: {label: code for code, label in vocabularies[name].items()} for name in value_tables}
            values = {
                name: {row[_("Value")]: meaning_of[name][row[_("Read as")]] for row in edited_values.to_dict("records")}
                for name, edited_values in value_tables.items()
            }
            mapping = ColumnMapping(
                sheet=sheet, header_row=info.header_row, columns=chosen, defaults=defaults, values=values
            )
            missing = missing_fields(mapping)
            if missing:  # refused: every row would fail the same way
                st.error(
                    _(
                        "Mapping not applied: no column is read as “{field}”, a required field. Choose its column."
                    ).format(field=", ".join(labels[name] for name in missing))
                )
            else:
                apply_mapping(context, mapping, [c.header for c in info.columns])

st.subheader(_("Validation report"))
validation_report(result)
history_step(context, today=today())

st.subheader(_("Measures"))
roadmap = result.roadmap
labels = statuses()
show_table(measures_frame(roadmap), key="measures", digits={_("Progress (%)"): 0}, column_config=measure_columns())

st.subheader(_("Templates"))
templates = {
    "fr": (_("Blank template (French)"), "rempart_modele.xlsx"),
    "en": (_("Blank template (English)"), "rempart_template.xlsx"),
}
ui = language()  # the template in the interface's language comes first
columns = st.columns(3)
for column, lang in zip(columns, sorted(templates, key=lambda code: code != ui), strict=False):
    label, file_name = templates[lang]
    column.download_button(label, build_template(lang=lang), file_name=file_name, key=f"download_template_{lang}")
columns[2].download_button(_("Sample workbook"), SAMPLE.read_bytes(), file_name=SAMPLE.name, key="download_sample")

st.subheader(_("Update progress"))
if not can_edit():
    st.info(
        _("Your role ({role}) reads only: an editor of the IT team records progress here.").format(
            role=role_name(st.session_state["user"].role)
        )
    )
    st.stop()
if result.source is not None:
    st.info(
        _(
            "This file is an export of {tool}: Rempart does not write into it, since {tool} would not read it back. "
            "Record the progress in {tool} and export again, or download the plan from the Exports page."
        ).format(tool=md(result.source.name))
    )
    st.stop()
status_col, progress_col, done_col = _("Status"), _("Progress (%)"), _("Completed on")
round_ = st.session_state.setdefault("edit_round", 0)  # a new round after each save: a fresh grid
editable = pd.DataFrame(
    [(m.id, m.title, labels[m.status], m.progress, m.done_date) for m in roadmap.measures],
    columns=[_("ID"), _("Measure"), status_col, progress_col, done_col],
)
edited = st.data_editor(
    editable,
    hide_index=True,
    disabled=[_("ID"), _("Measure")],
    key=f"edit_measures_{round_}",
    placeholder="",  # an empty date reads empty, not "None"
    column_config={
        status_col: st.column_config.SelectboxColumn(options=list(labels.values()), required=True),
        progress_col: st.column_config.NumberColumn(min_value=0, max_value=100, step=5),
        done_col: st.column_config.DateColumn(format=EDITOR_DATE_FORMAT[language()]),
    },
)
st.caption(
    _("A measure marked done gets progress 100 and today's completion date; the date stays editable in the grid.")
)
edits = edits_from_table(editable, edited)
proposed = review_edits(roadmap, edits, today=today(), columns=set(result.columns.values()))
shared = configured_workbook()
upload = st.session_state.get("upload")
writes_in_place = shared is not None and shared.name == context.name and upload is None
change_list = st.container(key=f"change_list_{round_}")
options = [*proposed.changes, *proposed.dropped]
left_out = (
    st.multiselect(
        _("Changes left out of the save"),
        [c.key for c in options],
        format_func={c.key: change_label(c) for c in options}.__getitem__,
        key=f"drop_changes_{round_}",
        placeholder=_("Choose a change to leave out"),
    )
    if options
    else []
)
review = review_edits(roadmap, edits, today=today(), dropped=set(left_out), columns=set(result.columns.values()))
with change_list:
    if review.changes:
        st.markdown(
            "**"
            + ngettext("{count} change to save", "{count} changes to save", len(review.changes)).format(
                count=len(review.changes)
            )
            + "**"
        )
        st.dataframe(
            changes_frame(review),
            hide_index=True,
            key=f"changes_{round_}",
            column_config={_("Measure"): st.column_config.TextColumn(width="medium")},
        )
    for severity, line in problem_lines(review):
        (st.error if severity == "error" else st.warning)(md(line))
    if review.blocking:
        st.error(_("A change marked “Blocking” cannot be saved: correct it in the grid, or leave it out."))
st.caption(
    _("Saving writes to {path} (backup copy, atomic write) and records it as today's snapshot in the history.").format(
        path=md(shared)
    )
    if writes_in_place
    else _(
        "Saving updates the workbook in use in this session and prepares a copy to download; "
        "the original file is not touched, and the copy enters the history only from the “Save to history” "
        "button above."
    )
)
saving = st.button(
    _("Save to the workbook"), key="save_edits", disabled=not review.changes or review.blocking, type="primary"
)
if saving:
    try:
        saved = save_review(
            context,
            review,
            shared=shared if writes_in_place else None,
            upload_id=upload.file_id if upload is not None else None,
        )
    except RoadmapError as exc:
        st.error(md(exc))
    else:
        st.session_state["saved"] = saved
        st.session_state["edit_round"] = round_ + 1
        st.rerun()
saved = st.session_state.get("saved")
if saved is not None and saved.name == context.name and not review.changes:  # the last save, until the next edit
    confirmation = st.container(key="saved_cells")
    confirmation.success(
        ngettext(
            "{count} cell written to {name}; the plan, the dashboard and the history now follow it.",
            "{count} cells written to {name}; the plan, the dashboard and the history now follow them.",
            len(saved.cells),
        ).format(count=len(saved.cells), name=md(saved.name)),
        icon=":material/check_circle:",
    )
    confirmation.dataframe(written_frame(saved.cells, saved.review), hide_index=True, key="written_cells")
    if saved.history_error:
        st.warning(_("Snapshot not recorded: {error}").format(error=md(saved.history_error)))
if not writes_in_place and saved is not None and saved.name == context.name:
    st.download_button(
        _("Download the updated {name}").format(name=context.name),
        context.data,
        file_name=context.name,
        key="download_edited",
    )
