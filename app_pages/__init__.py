"""Streamlit pages of Rempart; each page is thin over :mod:`roadmap`."""
