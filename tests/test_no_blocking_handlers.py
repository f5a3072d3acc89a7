"""The event loop never waits (DESIGN rule 12): no `async def` route handler or dependency calls
blocking code. Blocking work (the database, argon2, the embedding model, files, sleeping) belongs
in a plain `def` handler, which FastAPI runs in its thread pool, or in a job.

The check reads the source: every router module found through the app's route table (each
route's endpoint → its module), and every async dependency any route uses, wherever it lives.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from upland.app import create_app

# Receivers whose every method touches the database.
DATABASE_OBJECTS = {"session", "db", "connection", "conn", "engine", "cursor"}
# Modules (or module aliases) whose functions read or write the database or hash passwords.
BLOCKING_MODULES = {"service", "queries", "passwords", "exporting", "presenters", "uploads"}
BLOCKING_MODULE_SUFFIXES = ("_service", "_queries")
# Functions that block wherever they come from.
BLOCKING_NAMES = {
    "open",
    "sleep",
    "unit_of_work",
    "transaction",
    "writing",
    "import_file",
    "import_organisations",
    "hash_password",
    "verify_password",
    "embed",
    "suggest_pkd",
    "analyse_pkd",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "get_sessionmaker",
    "get_engine",
    "run",
    "check_output",
    "urlopen",
}
BLOCKING_TYPES = {"Session", "SessionDep", "Embedder"}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return "?"


def _blocking(call: ast.Call) -> str | None:
    """The dotted name of `call` if it blocks, else None. An awaited call is fine."""
    name = _dotted(call.func)
    parts = name.split(".")
    first, last = parts[0], parts[-1]
    if last in BLOCKING_NAMES:
        return name
    if len(parts) > 1 and (
        first in DATABASE_OBJECTS
        or first in BLOCKING_MODULES
        or first.endswith(BLOCKING_MODULE_SUFFIXES)
        or "embedder" in first.lower()
    ):
        return name
    return None


def _annotation_names(function: ast.AsyncFunctionDef) -> Iterator[str]:
    arguments = function.args.args + function.args.kwonlyargs
    for argument in arguments:
        if argument.annotation is not None:
            for node in ast.walk(argument.annotation):
                if isinstance(node, ast.Name):
                    yield node.id
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield from (word.strip("[], ") for word in node.value.split("["))


def blocking_calls(source: str) -> list[str]:
    """`name:line: call` for every blocking call made (not awaited) in an `async def` of
    `source`, and for an `async def` that takes a database session at all."""
    found = []
    tree = ast.parse(textwrap.dedent(source))
    for function in ast.walk(tree):
        if not isinstance(function, ast.AsyncFunctionDef):
            continue
        for name in _annotation_names(function):
            if name in BLOCKING_TYPES:
                found.append(f"{function.name}:{function.lineno}: takes a {name}")
        awaited = {id(node.value) for node in ast.walk(function) if isinstance(node, ast.Await)}
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and id(node) not in awaited:
                call = _blocking(node)
                if call:
                    found.append(f"{function.name}:{node.lineno}: {call}()")
    return found


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependencies(sub)


def _routes() -> list[APIRoute]:
    """Every API route of the app, through the included routers."""
    contexts = iter_route_contexts(create_app().routes)
    return [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]


def router_modules() -> set[str]:
    return {route.endpoint.__module__ for route in _routes()}


def async_dependencies() -> set[Callable[..., Any]]:
    app_wide = [d.dependency for d in create_app().router.dependencies if d.dependency]
    calls = [call for route in _routes() for call in _dependencies(route.dependant)]
    return {call for call in [*app_wide, *calls] if inspect.iscoroutinefunction(call)}


def test_the_route_table_leads_to_every_router_module() -> None:
    modules = router_modules()
    assert {
        "upland.accounts.routes",
        "upland.accounts.mailed.routes",
        "upland.organisations.routes.api",
        "upland.organisations.routes.profile",
        "upland.reference.routes",
    } <= modules


@pytest.mark.parametrize("module", sorted(router_modules()))
def test_no_async_handler_in_a_router_module_blocks(module: str) -> None:
    found = blocking_calls(inspect.getsource(sys.modules[module]))
    assert not found, f"{module} blocks the event loop:\n" + "\n".join(found)


def test_no_async_dependency_blocks() -> None:
    dependencies = async_dependencies()
    names = {d.__name__ for d in dependencies}
    assert {"verify_csrf", "form_fields", "refuse_control_characters"} <= names  # all checked
    found = [
        f"{d.__module__}.{line}"
        for d in dependencies
        for line in blocking_calls(inspect.getsource(d))
    ]
    assert not found, "async dependencies block the event loop:\n" + "\n".join(found)


BAD = {
    "a session query": """
        async def page(request: Request, session: SessionDep) -> Response:
            return render(request, "x.html", {})
    """,
    "a service call": """
        async def form(request, actor):
            raw = await form_fields(request)
            with unit_of_work(request.state.db):
                account_service.add_member(None, actor, raw)
    """,
    "a query in a helper": """
        async def _helper(request, s):
            return queries.list_organisations(s, None)
    """,
    "argon2": """
        async def login(request):
            passwords.verify_password("x", "y")
    """,
    "a file": """
        async def upload(request):
            with open("/tmp/x") as f:
                return f.read()
    """,
    "a path read": """
        async def upload(request):
            return path.read_bytes()
    """,
    "sleeping": """
        async def slow(request):
            time.sleep(1)
    """,
    "the embedder": """
        async def suggest(request):
            return get_embedder().embed(["text"])
    """,
    "a raw connection": """
        async def health(request):
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
    """,
}


@pytest.mark.parametrize("snippet", BAD.values(), ids=BAD.keys())
def test_the_check_finds_blocking_code(snippet: str) -> None:
    assert blocking_calls(snippet)


GOOD = {
    "a plain def may block": """
        def page(request, session: SessionDep):
            return queries.list_organisations(session, None)
    """,
    "awaiting is fine": """
        async def verify(request):
            form = await request.form()
            await anyio.sleep(0)
            return form.get("csrf_token")
    """,
}


@pytest.mark.parametrize("snippet", GOOD.values(), ids=GOOD.keys())
def test_the_check_lets_non_blocking_code_pass(snippet: str) -> None:
    assert blocking_calls(snippet) == []
