"""Rempart — entry point: the navigation, the shared sidebar, then the chosen page.

Run with ``streamlit run app.py``; it opens on the bundled sample workbook.
"""

import streamlit as st

from app_pages.access import current_actor, identity_sidebar
from app_pages.common import sidebar

st.set_page_config(page_title="Rempart", page_icon="🏰", layout="wide")
st.session_state["user"] = current_actor()  # signs in first; refuses a network address without a login
page = st.navigation(
    [
        st.Page("app_pages/dashboard.py", title="Tableau de bord", icon=":material/dashboard:", default=True),
        st.Page("app_pages/plan.py", title="Plan", icon=":material/view_timeline:"),
        st.Page("app_pages/risks.py", title="Risques", icon=":material/warning:"),
        st.Page("app_pages/data.py", title="Données", icon=":material/table:"),
        st.Page("app_pages/history.py", title="Historique", icon=":material/history:"),
        st.Page("app_pages/exports.py", title="Exports", icon=":material/download:"),
    ]
)
identity_sidebar(st.session_state["user"])
st.session_state["context"] = sidebar()
page.run()
