"""Importing: the bytes of a file → a :class:`~roadmap.models.Roadmap` and every issue found.

Input: a spreadsheet's bytes (``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls``, ``.ods``) or a delimited text
file (``.csv``, ``.tsv``, ``.txt``), and optionally a confirmed :class:`~roadmap.importing.mapping.ColumnMapping`.
Output: a :class:`~roadmap.importing.load.LoadResult`: the roadmap built from every readable row, and
every issue (sheet, row, column, value, fix), never only the first.
Errors: :class:`~roadmap.errors.UnsafeFileError` (refused before or while parsing: size, zip bomb,
entities, absurd shape, a worker past its limits), :class:`~roadmap.errors.NotASpreadsheetError`,
:class:`~roadmap.errors.WorkbookError` (unreadable path or mapping file),
:class:`~roadmap.errors.InvalidWorkbookError` (:func:`~roadmap.importing.load.load_roadmap` only, when an issue blocks).

Modules, in the order the data flows:

* :mod:`~roadmap.importing.guards`: everything refused before a parser runs (size, archive, XML
  entities, shape, positions past Excel's limits);
* :mod:`~roadmap.importing.isolation` and :mod:`~roadmap.importing.parse_worker`: python-calamine
  parses in a worker process under memory and time limits;
* :mod:`~roadmap.importing.tables`: the readers: bytes → plain tables (rows of raw cells) and the hidden
  sheets; CSV sniffing, unclosed quotes and decimal commas repaired and noted;
* :mod:`~roadmap.importing.synonyms` and :mod:`~roadmap.importing.vocabulary`: the names of the
  format's sheets and columns, and the words of statuses and priorities, in FR, EN, ES, PT and DE;
* :mod:`~roadmap.importing.columns`: Rempart's format: sheet and column names matched (exactly, by
  unit-free key, by rapidfuzz), the header row and the table under it;
* :mod:`~roadmap.importing.stacking`: tables one under another on a sheet: the measures' table when it
  is not the first, tables of measures under phase banners read as one, the banner as their domain;
* :mod:`~roadmap.importing.inference`: what the content says when headers do not: columns found from
  their values, and the rows that are not measures (totals, sections, summary tasks);
* :mod:`~roadmap.importing.mapping`: other layouts: suggest a field per column, the confirmed
  :class:`ColumnMapping`, remembered per header row;
* :mod:`~roadmap.importing.tools`: exports of GLPI, Jira and MS Project / ProjectLibre, recognised from
  their headers and rewritten in Rempart's terms with the mapping that reads them;
* :mod:`~roadmap.importing.values`: one cell → one typed value (durations:
  :mod:`~roadmap.importing.durations`);
* :mod:`~roadmap.importing.issues`: the issues of an import, collected with sheet, row, column, value and fix;
* :mod:`~roadmap.importing.rows`: tables → measures, with their issues (unknown values once per value);
* :mod:`~roadmap.importing.sheets`: tables → risks, teams and settings, with their issues;
* :mod:`~roadmap.importing.checks`: what needs several sheets: unknown teams and risks, the default
  team, cycles, formulas without saved values, sheets' notes;
* :mod:`~roadmap.importing.load`: the entry points that run all of the above.

:mod:`~roadmap.importing.template` writes the blank workbook in the same format.
"""
