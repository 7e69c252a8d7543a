"""Users (admins): add accounts, change roles, disable, reset passwords, link owner names."""

from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pages.common import session_factory
from pages.failures import report_failure
from pages.session import require_actor
from pages.text import md
from plan import accounts
from plan.auth import ROLE_SUMMARY, AccountError, Permission, PermissionDenied, Role
from plan.database import run_write
from rulebook.dates import format_uk_date
from rulebook.owners import owner_key

# A typed list: an inline list(Role) makes mypy pick st.selectbox's "no options" overload.
ROLES: list[Role] = list(Role)

actor = require_actor(Permission.MANAGE_USERS)
factory = session_factory()
st.title("Users")
flash = st.session_state.pop("users_flash", None)
if flash:
    st.success(flash)

with factory() as session:
    users = accounts.list_users(session, actor)

st.dataframe(
    pd.DataFrame(
        [
            {
                "E-mail": u.email,
                "Name": u.name,
                "Role": u.role.value,
                "Signs in with": "password" if u.password else "single sign-on",
                "Disabled": "Yes" if u.disabled else "",
                "Owner names": ", ".join(u.owner_names),
                "Last sign-in": format_uk_date(u.last_signed_in_at.date())
                if u.last_signed_in_at
                else "never",
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.caption("Roles: " + "; ".join(f"**{r.value}**: {ROLE_SUMMARY[r]}" for r in Role) + ".")


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


def _save(work: Callable[[Session], object], message: str) -> None:
    try:
        run_write(factory, work)
    except (AccountError, PermissionDenied) as error:
        st.error(md(error))
    except SQLAlchemyError:
        report_failure("Changing an account")
    else:
        st.session_state["users_flash"] = message
        st.rerun()


add_tab, change_tab = st.tabs(["Add an account", "Change an account"])
with add_tab, st.form("add_user", clear_on_submit=False):
    email = st.text_input("E-mail", key="add_email")
    name = st.text_input("Name", key="add_name")
    role = st.selectbox("Role", ROLES, format_func=lambda r: r.value, key="add_role")
    password = st.text_input(
        "Password (leave blank for single sign-on only)", type="password", key="add_password"
    )
    owners = st.text_area(
        "Owner names as the plans write them, separated by ; or new lines",
        key="add_owners",
        placeholder="Kylie Thornton; Probation",
    )
    if st.form_submit_button("Add account", type="primary"):
        _save(
            lambda s: accounts.add_user(
                s,
                actor,
                email,
                name=name,
                role=role,
                password=password or None,
                owner_names=_names(owners),
            ),
            f"Added {md(email.strip().lower())} as {role.value}.",
        )

with change_tab:
    by_email = {u.email: u for u in users}
    chosen = st.selectbox("Account", list(by_email), index=None, key="change_email")
    if chosen:
        user = by_email[chosen]
        with st.form(f"change_user_{chosen}"):
            new_role = st.selectbox(
                "Role", ROLES, index=ROLES.index(user.role), format_func=lambda r: r.value
            )
            disabled = st.checkbox("Disabled (cannot sign in)", value=user.disabled)
            links = st.text_area(
                "Owner names (separated by ; or new lines)", value="; ".join(user.owner_names)
            )
            new_password = st.text_input("New password (leave blank to keep)", type="password")
            if st.form_submit_button("Save changes", type="primary"):
                wanted = _names(links)

                def change(s: Session) -> None:
                    accounts.set_role(s, actor, user.email, new_role)
                    accounts.set_disabled(s, actor, user.email, disabled)
                    keep = {owner_key(n) for n in wanted}
                    dropped = [n for n in user.owner_names if owner_key(n) not in keep]
                    accounts.unlink_owner_names(s, actor, user.email, dropped)
                    accounts.link_owner_names(s, actor, user.email, wanted)
                    if new_password:
                        accounts.reset_password(s, actor, user.email, new_password)

                _save(change, f"Saved the changes to {md(chosen)}.")
