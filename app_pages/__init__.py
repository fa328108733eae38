"""Streamlit pages of Rempart; each page is thin over :mod:`roadmap` and reads like the screen.

Shared by the pages: :mod:`app_pages.context` (the workbook in use, the sidebar, cached calls, the
history store), :mod:`app_pages.translation` (the session's language) and :mod:`app_pages.tables`
(the tables shown). The pages: ``access`` (sign-in), ``data``, ``dashboard``, ``plan``, ``risks``,
``exports``, ``history``.
"""
