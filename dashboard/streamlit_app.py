"""The segment dashboard: `make dashboard`, or `streamlit run dashboard/streamlit_app.py`.

Reads only the public marts, through dashboard/marts.py (DuckDB locally, the Snowpark
session in Streamlit in Snowflake). One URL path per page, named in the exposures
(models/marts/_segmentation__exposures.yml).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import views

st.set_page_config(page_title="Customer segments", page_icon=":bar_chart:", layout="wide")

PAGES = [
    st.Page(views.overview, title="Overview", url_path="overview", default=True),
    st.Page(views.personas, title="Personas", url_path="personas"),
    st.Page(views.rfm, title="RFM", url_path="rfm"),
    st.Page(views.movement, title="Lifecycle and movement", url_path="movement"),
    st.Page(views.audiences, title="Audiences", url_path="audiences"),
    st.Page(views.campaigns, title="Campaigns", url_path="campaigns"),
    st.Page(views.data_quality, title="Data quality", url_path="data-quality"),
    st.Page(views.fit, title="Fit diagnostics", url_path="fit"),
    st.Page(views.value, title="Value", url_path="value"),
    st.Page(views.customer, title="Customer lookup", url_path="customer"),
]

page = st.navigation(PAGES)
page.run()
views.footer(page.url_path or "overview")
