"""Notification pages, HTMX fragments and JSON, over the same queries and services.

Nothing here writes news: people mark their own read and choose how it reaches them; the
unsubscribe link of an e-mail works without a log-in (its token is signed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from upland.actor import Actor
from upland.db import RowId
from upland.errors import PermissionDenied
from upland.i18n import Message
from upland.mail import links
from upland.notifications import kinds, queries, service
from upland.notifications.models import ALL_KINDS, Delivery, Notification
from upland.notifications.schemas import (
    KindPreference,
    NotificationPageRead,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    ReadAllResult,
)
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import RawFormFields
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)
api = Router(
    prefix="/api/v1", tags=["notifications"], dependencies=[CsrfChecked], responses=API_ERRORS
)
router = Router()

Page = Annotated[int, Query(ge=1, le=10_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]
LinkToken = Annotated[str, Path(max_length=200)]
DELIVERIES = tuple(Delivery)


def _user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    return actor.user_id


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


# --- pages --------------------------------------------------------------------------------------


@pages.get("/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request, session: SessionDep, actor: ActorDep, page: Page = 1
) -> Response:
    """One's news, newest first, unread ones marked."""
    listed = queries.list_notifications(session, actor, page)
    request.state.unread_notifications = listed.unread
    language = language_of(request)
    items = [(n, kinds.sentence(n.kind, n.params, language)) for n in listed.items]
    return render(request, "notifications/list.html", {"listing": listed, "items": items})


@pages.post("/notifications/{notification_id}/read", dependencies=[CsrfChecked])
def mark_read_form(
    notification_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """HTMX swaps the item (read now); a plain form goes back to the list."""
    with unit_of_work(session):
        note = service.mark_read(session, actor, notification_id)
    if _is_htmx(request):
        request.state.unread_notifications = queries.count_unread(session, actor)
        sentence = kinds.sentence(note.kind, note.params, language_of(request))
        context = {"note": note, "sentence": sentence, "oob": True}  # and the count in the menu
        return render(request, "notifications/_item.html", context)
    return RedirectResponse("/notifications", status_code=303)


@pages.post("/notifications/read-all", dependencies=[CsrfChecked])
def mark_all_read_form(session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.mark_all_read(session, actor)
    return RedirectResponse("/notifications", status_code=303)


@pages.get("/account/notifications", response_class=HTMLResponse)
def preferences_page(
    request: Request, session: SessionDep, actor: ActorDep, saved: bool = False
) -> Response:
    """How each kind of news reaches me: off, in the app, e-mail at once, daily or weekly."""
    prefs = queries.get_preferences(session, actor, _user_id(actor))
    context = {"prefs": prefs, "deliveries": DELIVERIES, "saved": saved}
    return render(request, "notifications/preferences.html", context)


@pages.post("/account/notifications", dependencies=[CsrfChecked])
def preferences_form(session: SessionDep, actor: ActorDep, fields: RawFormFields) -> Response:
    """Fields `kind:<code>` = delivery for each kind shown, `mail` checked: e-mail at all."""
    user_id = _user_id(actor)
    chosen = {k.removeprefix("kind:"): v for k, v in fields.items() if k.startswith("kind:")}
    chosen[ALL_KINDS] = Delivery.IMMEDIATE.value if fields.get("mail") else Delivery.IN_APP.value
    with unit_of_work(session):
        service.set_preferences(session, actor, user_id, chosen)
    return RedirectResponse("/account/notifications?saved=true", status_code=303)


@pages.get("/notifications/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(token: LinkToken, request: Request) -> Response:
    """A page with one button, so mail scanners that open links switch nothing off."""
    _user, kind = service.unsubscribe_link_target(token)
    return render(request, "notifications/unsubscribe.html", _unsubscribe(token, kind, False))


@pages.post(
    "/notifications/unsubscribe/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def unsubscribe_form(token: LinkToken, request: Request, session: SessionDep) -> Response:
    _user, kind = service.unsubscribe_link_target(token)
    with unit_of_work(session):
        service.unsubscribe(session, token)
    return render(request, "notifications/unsubscribe.html", _unsubscribe(token, kind, True))


def _unsubscribe(token: str, kind: str, done: bool) -> dict[str, object]:
    registered = kinds.get(kind)
    return {"token": token, "kind": registered, "every": kind == ALL_KINDS, "done": done}


# --- JSON ---------------------------------------------------------------------------------------


def _read(note: Notification) -> NotificationRead:
    return NotificationRead(
        id=note.id,
        kind=note.kind,
        text=kinds.sentence(note.kind, note.params, "en"),
        params=note.params,
        link=links.absolute(note.link) if note.link else None,
        created_at=note.created_at,
        read_at=note.read_at,
        delivery=Delivery(note.delivery),
    )


@api.get("/notifications", response_model=NotificationPageRead)
def api_list_notifications(
    session: SessionDep,
    actor: ActorDep,
    page: Page = 1,
    per_page: PerPage = queries.PER_PAGE,
    unread: bool = False,
) -> NotificationPageRead:
    """Your notifications, newest first (`unread=true`: only the unread)."""
    listed = queries.list_notifications(session, actor, page, per_page, unread_only=unread)
    return NotificationPageRead(
        items=[_read(n) for n in listed.items],
        page=listed.page,
        per_page=listed.per_page,
        total=listed.total,
        unread=listed.unread,
    )


@api.post("/notifications/read-all", response_model=ReadAllResult)
def api_mark_all_read(session: SessionDep, actor: ActorDep) -> ReadAllResult:
    """Mark every notification of yours read; how many were unread."""
    with unit_of_work(session):
        marked = service.mark_all_read(session, actor)
    return ReadAllResult(marked=marked)


@api.post("/notifications/{notification_id}/read", response_model=NotificationRead)
def api_mark_read(notification_id: RowId, session: SessionDep, actor: ActorDep) -> NotificationRead:
    """Mark one of your notifications read (404 for anyone else's)."""
    with unit_of_work(session):
        note = service.mark_read(session, actor, notification_id)
    return _read(note)


def _preferences(prefs: queries.Preferences) -> PreferencesRead:
    return PreferencesRead(
        mail=prefs.mail,
        kinds=[
            KindPreference(
                kind=c.kind.code,
                category=Message(c.kind.category).english(),
                label=Message(c.kind.label).english(),
                delivery=c.delivery,
                default=c.kind.default,
                chosen=c.chosen,
            )
            for c in prefs.choices
        ],
    )


@api.get("/notifications/preferences", response_model=PreferencesRead)
def api_get_preferences(session: SessionDep, actor: ActorDep) -> PreferencesRead:
    """How each kind of notification reaches you."""
    return _preferences(queries.get_preferences(session, actor, _user_id(actor)))


@api.put("/notifications/preferences", response_model=PreferencesRead)
def api_set_preferences(
    body: PreferencesUpdate, session: SessionDep, actor: ActorDep
) -> PreferencesRead:
    """Change how kinds reach you (kinds not named keep their setting); `mail: false` stops
    every notification e-mail."""
    user_id = _user_id(actor)
    chosen: dict[str, str] = {kind: delivery.value for kind, delivery in body.kinds.items()}
    if body.mail is not None:
        chosen[ALL_KINDS] = (Delivery.IMMEDIATE if body.mail else Delivery.IN_APP).value
    with unit_of_work(session):
        service.set_preferences(session, actor, user_id, chosen)
    return _preferences(queries.get_preferences(session, actor, user_id))


router.include_router(pages)
router.include_router(api)
