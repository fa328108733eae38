"""Rempart — entry point: the language, the navigation, the shared sidebar, then the chosen page.

Run with ``streamlit run app.py``; it opens on the bundled sample workbook, in French unless the
sidebar switch (or ``?lang=en`` on the first load) asks for English.
"""

import streamlit as st

from app_pages.access import current_actor, identity_sidebar
from app_pages.context import sidebar
from app_pages.translation import _, language_switch
from roadmap.security.roles import Role

st.set_page_config(page_title="Rempart", page_icon="🏰", layout="wide")
language_switch()  # first: the sign-in screen and the navigation's titles are in the chosen language
st.session_state["user"] = current_actor()  # signs in first; refuses a network address without a login
page = st.navigation(
    [
        st.Page("app_pages/dashboard.py", title=_("Dashboard"), icon=":material/dashboard:", default=True),
        st.Page("app_pages/plan.py", title=_("Plan"), icon=":material/view_timeline:"),
        st.Page("app_pages/risks.py", title=_("Risks"), icon=":material/warning:"),
        st.Page("app_pages/data.py", title=_("Data"), icon=":material/table:"),
        st.Page("app_pages/history.py", title=_("History"), icon=":material/history:"),
        st.Page("app_pages/exports.py", title=_("Exports"), icon=":material/download:"),
        *(  # the administrator's screen; roadmap.security.accounts checks the role again
            [st.Page("app_pages/accounts.py", title=_("Accounts"), icon=":material/manage_accounts:")]
            if st.session_state["user"].can(Role.ADMIN)
            else []
        ),
    ]
)
identity_sidebar(st.session_state["user"])
st.session_state["context"] = sidebar()
page.run()
