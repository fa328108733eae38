"""Données — the workbook as read: sheets used, column mapping, every issue, the measures, templates."""

import pandas as pd
import streamlit as st

from app_pages.access import can_edit, role_name
from app_pages.context import SAMPLE, cached_inspect, configured_workbook, file_key, history_engine, record_changes
from app_pages.tables import edits_from_table, issues_frame, show_table, value_frame
from app_pages.translation import _, field_labels, language, md, ngettext, statuses
from roadmap import RoadmapError
from roadmap.importing.columns import MEASURE_COLUMNS
from roadmap.importing.mapping import ColumnMapping, remember_mapping, suggest_columns
from roadmap.importing.template import build_template
from roadmap.store.database import database_url
from roadmap.writeback import apply_edits, fingerprint, write_back

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

needs_mapping = "measures" not in result.sheets.values() or bool(result.unknown_values)  # open: something to ask
with st.expander(_("Column mapping (a workbook in another format)"), expanded=needs_mapping):
    inspection = cached_inspect(context.data, filename=context.name)
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
            st.session_state.setdefault("mappings", {})[file_key(context.data)] = mapping
            try:
                if can_edit():  # a viewer's mapping serves this session only
                    remember_mapping(mapping, [c.header for c in info.columns], by=st.session_state["user"])
            except RoadmapError as exc:
                st.warning(_("Mapping applied but not remembered: {error}").format(error=exc))
            st.rerun()

st.subheader(_("Validation report"))
if result.issues:
    errors, warnings = len(result.errors), len(result.issues) - len(result.errors)
    st.write(
        ngettext("{count} blocking problem", "{count} blocking problems", errors).format(count=errors)
        + ", "
        + ngettext("{count} warning.", "{count} warnings.", warnings).format(count=warnings)
    )
    show_table(issues_frame(result), key="issues")
else:
    st.success(_("No problem found."))

st.subheader(_("Measures"))
roadmap = result.roadmap
labels = statuses()
show_table(
    pd.DataFrame(
        [
            (
                m.id,
                m.title,
                m.domain,
                m.team,
                m.effort_days,
                labels[m.status],
                m.progress,
                str(m.priority),
                ", ".join(m.depends_on),
            )
            for m in roadmap.measures
        ],
        columns=[
            _("ID"),
            _("Measure"),
            _("Domain"),
            _("Team"),
            _("Effort (person-days)"),
            _("Status"),
            _("Progress (%)"),
            _("Priority"),
            _("Depends on"),
        ],
    ),
    key="measures",
    digits={_("Progress (%)"): 0},
)

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
editable = pd.DataFrame(
    [(m.id, m.title, labels[m.status], m.progress, m.done_date) for m in roadmap.measures],
    columns=[_("ID"), _("Measure"), status_col, progress_col, done_col],
)
edited = st.data_editor(
    editable,
    hide_index=True,
    disabled=[_("ID"), _("Measure")],
    key="edit_measures",
    column_config={
        status_col: st.column_config.SelectboxColumn(options=list(labels.values()), required=True),
        progress_col: st.column_config.NumberColumn(min_value=0, max_value=100, step=5),
        done_col: st.column_config.DateColumn(format="DD/MM/YYYY"),
    },
)
edits = edits_from_table(editable, edited)
shared = configured_workbook()
writes_in_place = shared is not None and shared.name == context.name and st.session_state.get("upload") is None
st.caption(
    ngettext("{count} measure changed. ", "{count} measures changed. ", len(edits)).format(count=len(edits))
    + (
        _("Saving writes to {path} (backup copy, atomic write).").format(path=md(shared))
        if writes_in_place
        else _("Saving prepares an updated copy of the workbook to download; the original is not touched.")
    )
)
if st.button(_("Save to the workbook"), key="save_edits", disabled=not edits, type="primary"):
    try:
        if writes_in_place and shared is not None:
            changes = write_back(
                shared,
                edits,
                expected=fingerprint(context.data),
                by=st.session_state["user"],
                audit=history_engine(database_url()),
                backup_dir=shared.parent / "sauvegardes",
            )
            st.success(
                ngettext("{count} cell written to {name}.", "{count} cells written to {name}.", len(changes)).format(
                    count=len(changes), name=md(shared.name)
                )
            )
        else:
            updated, changes = apply_edits(context.data, edits, filename=context.name)
            st.session_state["edited_workbook"] = (context.name, updated)
            record_changes(changes, workbook=context.name, by=st.session_state["user"])
    except RoadmapError as exc:
        st.error(md(exc))
if "edited_workbook" in st.session_state:
    name, payload = st.session_state["edited_workbook"]
    st.download_button(
        _("Download the updated {name}").format(name=name), payload, file_name=name, key="download_edited"
    )
