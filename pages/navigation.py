"""Which pages the navigation shows to whom: the role-to-pages spec, read by app.py.

Every page is always registered with `st.navigation`, so a link or bookmark to it still opens
(and the page says why it cannot be used: "Sign in first", or the role's refusal). Pages the
signed-in role (or a visitor who has not signed in) cannot use are registered hidden: they are
not in the menu. Hiding is only a convenience: each page checks the permission again
(pages/session.py `require_actor`) and plan/ enforces it on every change.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.session import current_actor
from plan.auth import Actor, Permission


@dataclass(frozen=True)
class NavPage:
    path: str
    title: str
    icon: str
    section: str
    # Who can use it: None for everyone, SIGNED_IN for any account, or a permission.
    needs: Permission | str | None = None
    url_path: str | None = None
    default: bool = False
    # The menu's name for the page once someone has signed in, where it differs.
    signed_in_title: str | None = None

    def title_for(self, actor: Actor | None) -> str:
        return self.signed_in_title if actor is not None and self.signed_in_title else self.title


SIGNED_IN = "any signed-in account"
DASHBOARD, UPDATES, OFFICERS = "Dashboard", "Updates", "Officers"

PAGES: tuple[NavPage, ...] = (
    NavPage("pages/overview.py", "Overview", ":material/dashboard:", DASHBOARD, default=True),
    NavPage("pages/overdue.py", "Overdue", ":material/schedule:", DASHBOARD),
    NavPage("pages/objectives.py", "Objectives", ":material/flag:", DASHBOARD),
    NavPage("pages/owners.py", "Owners", ":material/group:", DASHBOARD),
    NavPage("pages/action.py", "Action", ":material/task:", DASHBOARD, url_path="action"),
    NavPage("pages/meeting.py", "Meeting view", ":material/co_present:", DASHBOARD),
    NavPage("pages/indicators.py", "Indicators", ":material/monitoring:", DASHBOARD),
    NavPage(
        "pages/indicator.py", "Indicator", ":material/show_chart:", DASHBOARD, url_path="indicator"
    ),
    NavPage(
        "pages/sign_in.py", "Sign in", ":material/login:", UPDATES, signed_in_title="Your account"
    ),
    NavPage("pages/my_actions.py", "My actions", ":material/checklist:", UPDATES, SIGNED_IN),
    NavPage(
        "pages/bulk_update.py",
        "Bulk update",
        ":material/edit_note:",
        UPDATES,
        Permission.BULK_UPDATE,
    ),
    NavPage(
        "pages/import_plan.py",
        "Import a plan",
        ":material/upload_file:",
        OFFICERS,
        Permission.IMPORT,
    ),
    NavPage("pages/plans.py", "Plans", ":material/date_range:", OFFICERS, Permission.EDIT_PLANS),
    NavPage("pages/export.py", "Board papers", ":material/download:", OFFICERS, Permission.EXPORT),
    NavPage("pages/review.py", "Review", ":material/rate_review:", OFFICERS, Permission.REVIEW),
    NavPage(
        "pages/returns.py", "Returns", ":material/mark_email_unread:", OFFICERS, Permission.CHASE
    ),
    NavPage(
        "pages/audit_log.py", "Audit log", ":material/history:", OFFICERS, Permission.VIEW_AUDIT
    ),
    NavPage(
        "pages/users.py", "Users", ":material/manage_accounts:", OFFICERS, Permission.MANAGE_USERS
    ),
)


def usable(page: NavPage, actor: Actor | None) -> bool:
    """Whether this person (None: not signed in) can use the page, so it is in the menu."""
    if page.needs is None:
        return True
    if actor is None:
        return False
    return page.needs == SIGNED_IN or (isinstance(page.needs, Permission) and actor.can(page.needs))


def menu(actor: Actor | None) -> dict[str, list[str]]:
    """The titles the menu shows, by section (sections with nothing shown are left out)."""
    shown: dict[str, list[str]] = {}
    for page in PAGES:
        if usable(page, actor):
            shown.setdefault(page.section, []).append(page.title_for(actor))
    return shown


def navigation_pages(actor: Actor | None) -> dict[str, list[st.Page]]:
    """Every page, by section, hidden from the menu where the person cannot use it."""
    sections: dict[str, list[st.Page]] = {}
    for page in PAGES:
        sections.setdefault(page.section, []).append(
            st.Page(
                page.path,
                title=page.title_for(actor),
                icon=page.icon,
                url_path=page.url_path,
                default=page.default,
                visibility="visible" if usable(page, actor) else "hidden",
            )
        )
    return sections


def signed_in_actor() -> Actor | None:
    """Who is signed in, for the menu only; a database that cannot be read shows the visitor's
    menu, and the page itself then reports the failure."""
    try:
        return current_actor()
    except SQLAlchemyError:
        return None


def run_navigation() -> None:
    """The menu for whoever is signed in, fully expanded (no "View more"); run the page."""
    navigation = st.navigation(navigation_pages(signed_in_actor()), expanded=True)
    navigation.run()
