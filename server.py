"""The tracker's web server: Streamlit running app.py, plus the sign-in cookie's two routes.

`streamlit run server.py` (what `./tracker app` does) finds `app` below and serves it with
Streamlit's own server (st.App, Streamlit 1.67): the pages as with `streamlit run app.py`, and
/api/sign-in and /api/sign-out, which set and clear the cookie that keeps a browser signed in
across reloads and tabs (see sign_in_cookie.py and README "Signing in and roles").
"""

import streamlit as st

import sign_in_cookie

app = st.App("app.py", routes=sign_in_cookie.routes())
