"""`python -m plan users ...`: manage accounts from the server's command line.

The command line acts as the server's operator (audited as "command line"): it is how a real
deployment creates its first admin, since there is no default password.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from plan import accounts, auth
from plan.auth import AccountError, Role
from plan.database import run_write
from rulebook.dates import format_uk_date

ROLES = [role.value for role in Role]


def add_users_parser(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser(
        "users",
        help="manage accounts: add, list, disable, enable, set-role, reset-password, link",
        description="Accounts and roles. Roles: "
        + "; ".join(f"{r.value} ({auth.ROLE_SUMMARY[r]})" for r in Role),
    )
    sub = users.add_subparsers(dest="users_command", required=True, metavar="USERS_COMMAND")

    add = sub.add_parser("add", help="add an account (asks for its password)")
    add.add_argument("email")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--name", help="display name (default: from the e-mail)")
    add.add_argument(
        "--owner",
        action="append",
        default=[],
        metavar="NAME",
        help='owner name as written in plans, e.g. "Kylie Thornton" (repeatable)',
    )
    _password_options(add, sso=True)
    add.add_argument(
        "--disable-demo-accounts",
        action="store_true",
        help="with --role admin: disable the demo accounts (published password) if there are any",
    )

    sub.add_parser("list", help="list the accounts")
    sub.add_parser(
        "disable-demo", help="disable the demo accounts, whose password is published in README"
    )

    for name, help_text in (
        ("disable", "stop an account signing in"),
        ("enable", "let a disabled account sign in again"),
    ):
        sub.add_parser(name, help=help_text).add_argument("email")

    role = sub.add_parser("set-role", help="change an account's role")
    role.add_argument("email")
    role.add_argument("role", choices=ROLES)

    reset = sub.add_parser("reset-password", help="set a new password (clears any lock-out)")
    reset.add_argument("email")
    _password_options(reset, sso=False)

    for name, help_text in (
        ("link", "let an account update the actions of these owner names"),
        ("unlink", "remove owner names from an account"),
    ):
        link = sub.add_parser(name, help=help_text)
        link.add_argument("email")
        link.add_argument("names", nargs="+", metavar="OWNER_NAME")


def _password_options(parser: argparse.ArgumentParser, *, sso: bool) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of asking",
    )
    if sso:
        parser.add_argument(
            "--sso-only",
            action="store_true",
            help="no password: the person signs in with single sign-on (OIDC) only",
        )


def _read_password(args: argparse.Namespace) -> str | None:
    """The new account's password, or None for an account that signs in with SSO only."""
    if getattr(args, "sso_only", False):
        return None
    return _read_new_password(args)


def _read_new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"New password for {args.email}: ")
    if getpass.getpass("Same password again: ") != first:
        raise AccountError("The two passwords differ; nothing was changed.")
    return first


def users_command(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    try:
        _run(args, factory)
    except AccountError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    return 0


Factory = sessionmaker[Session]


def _run(args: argparse.Namespace, factory: Factory) -> None:
    _COMMANDS[args.users_command](args, factory)


def _add(args: argparse.Namespace, factory: Factory) -> None:
    password = _read_password(args)
    run_write(
        factory,
        lambda s: accounts.add_user(
            s,
            None,
            args.email,
            name=args.name,
            role=Role(args.role),
            password=password,
            owner_names=args.owner,
        ),
    )
    how = "single sign-on only" if password is None else "password set"
    print(f"Added {auth.normalise_email(args.email)} as {args.role} ({how}).")
    if Role(args.role) == Role.ADMIN:
        _offer_to_disable_demo_accounts(factory, args.disable_demo_accounts)


def _list(_args: argparse.Namespace, factory: Factory) -> None:
    with factory() as session:
        rows = accounts.list_users(session, None)
    if not rows:
        print("No accounts yet. Add the first admin with:")
        print("  python -m plan users add EMAIL --role admin")
    for row in rows:
        flags = [row.role.value]
        if row.disabled:
            flags.append("disabled")
        if not row.password:
            flags.append("single sign-on only")
        last = format_uk_date(row.last_signed_in_at.date()) if row.last_signed_in_at else "never"
        owners = f"; owner names: {', '.join(row.owner_names)}" if row.owner_names else ""
        print(f"{row.email} ({row.name}): {', '.join(flags)}; last sign-in {last}{owners}")


def _set_disabled(args: argparse.Namespace, factory: Factory) -> None:
    disable = args.users_command == "disable"
    run_write(factory, lambda s: accounts.set_disabled(s, None, args.email, disabled=disable))
    print(f"{auth.normalise_email(args.email)} is {args.users_command}d.")


def _set_role(args: argparse.Namespace, factory: Factory) -> None:
    run_write(factory, lambda s: accounts.set_role(s, None, args.email, Role(args.role)))
    print(f"{auth.normalise_email(args.email)} is now {args.role}.")


def _reset_password(args: argparse.Namespace, factory: Factory) -> None:
    new_password = _read_new_password(args)
    run_write(factory, lambda s: accounts.reset_password(s, None, args.email, new_password))
    print(f"New password set for {auth.normalise_email(args.email)}.")


def _link(args: argparse.Namespace, factory: Factory) -> None:
    change = (
        accounts.link_owner_names if args.users_command == "link" else accounts.unlink_owner_names
    )
    names = run_write(
        factory,
        lambda s: [n.name for n in change(s, None, args.email, args.names).owner_names],
    )
    print(f"{auth.normalise_email(args.email)} answers for: {', '.join(names) or 'nobody'}.")


_COMMANDS: dict[str, Callable[[argparse.Namespace, Factory], None]] = {
    "add": _add,
    "disable-demo": lambda _args, factory: _disable_demo_accounts(factory),
    "list": _list,
    "disable": _set_disabled,
    "enable": _set_disabled,
    "set-role": _set_role,
    "reset-password": _reset_password,
    "link": _link,
    "unlink": _link,
}


def _offer_to_disable_demo_accounts(factory: sessionmaker[Session], disable: bool) -> None:
    """A real admin now exists: the demo accounts (published password) should go."""
    with factory() as session:
        demo = accounts.enabled_demo_accounts(session)
    if not demo:
        return
    if not disable:
        print(
            f"Warning: the demo accounts ({', '.join(demo)}) can still sign in with the password "
            f"published in README.md ({auth.DEMO_PASSWORD}).",
            file=sys.stderr,
        )
        if not (sys.stdin.isatty() and _yes("Disable the demo accounts now? [y/N] ")):
            print("Disable them with: python -m plan users disable-demo", file=sys.stderr)
            return
    _disable_demo_accounts(factory)


def _disable_demo_accounts(factory: sessionmaker[Session]) -> None:
    disabled = run_write(factory, lambda s: accounts.disable_demo_accounts(s, None))
    if disabled:
        print(f"Disabled the demo accounts: {', '.join(disabled)}.")
    else:
        print("No demo account can sign in.")


def _yes(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False
