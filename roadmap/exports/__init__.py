"""Exports: a plan and its roadmap → files for the board (PRODUCT.md §7).

Imported on its own (``from roadmap import exports``), never by :mod:`roadmap`: it loads
python-pptx, fpdf2 and kaleido.

Input: an :class:`~roadmap.analysis.Analysis` (the roadmap, the plans, the residual risk), a
language (``"fr"`` or ``"en"``) and, for the XLSX plan, the source workbook's bytes.
Output: ``bytes`` (or a mapping of file name → bytes); no builder writes a file.
Errors: :class:`~roadmap.errors.ExportError` (no browser for the chart images, a source workbook
that cannot be rewritten).

Modules, in the order the data flows:

* :mod:`~roadmap.exports.text`: the exports' words in French and English, and what the board reads
  (decisions, readings, the appendix rows);
* :mod:`~roadmap.exports.frames`: the export tables, CSV, JSON, ZIP and file names;
* :mod:`~roadmap.exports.images`: chart images rendered by kaleido;
* :mod:`~roadmap.exports.slides` and :mod:`~roadmap.exports.deck`: the 16:9 PPTX deck;
* :mod:`~roadmap.exports.pdf`: the PDF report;
* :mod:`~roadmap.exports.workbook`: the XLSX plan, the source workbook with the plan's columns.

Names with a leading underscore are private to this package.

**Programme status** (red / amber / green, slide 2 and the report's summary): the rule of
:class:`~roadmap.analysis.ProgrammeStatus`, from the EBIOS RM target levels of the Risks sheet,
the plan and, once a plan is frozen, the progress against it:

* red: at least one risk with a target level stays above it at the end of the plan, or the SPI is
  under 0.80;
* amber: measures are deferred or blocked, the SPI is under 0.95, the SPI-based forecast end is
  after the frozen plan's end, or measures are late;
* green: otherwise.
"""

from roadmap.analysis import ProgrammeStatus, programme_status
from roadmap.exports.deck import build_deck, deck_outline
from roadmap.exports.frames import archive, export_filename, tables, to_csv, to_json, weekly_trajectory
from roadmap.exports.images import ImageRenderer, browser_path, chart_figures, chart_images
from roadmap.exports.pdf import build_pdf, pdf_page_count
from roadmap.exports.workbook import build_plan_xlsx, plan_extension
from roadmap.importing.values import is_formula_like, neutralise
from roadmap.wording import crashing_text, deferral_text

__all__ = [
    "ImageRenderer",
    "ProgrammeStatus",
    "archive",
    "browser_path",
    "build_deck",
    "build_pdf",
    "build_plan_xlsx",
    "chart_figures",
    "chart_images",
    "crashing_text",
    "deck_outline",
    "deferral_text",
    "export_filename",
    "is_formula_like",
    "neutralise",
    "pdf_page_count",
    "plan_extension",
    "programme_status",
    "tables",
    "to_csv",
    "to_json",
    "weekly_trajectory",
]
