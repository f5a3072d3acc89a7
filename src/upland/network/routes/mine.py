""" "Your network": the relations of the organisations one belongs to (proposed, confirmed,
withdrawn), with the buttons to confirm or withdraw them and a form to declare one, each
calling `network.service`."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland import clock
from upland.accounts import flash
from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.errors import Conflict, Invalid
from upland.i18n import N_, Message, labels_of
from upland.network import queries, service, table
from upland.network.schemas import RelationDeclare
from upland.organisations import queries as organisations
from upland.permissions import allowed, require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import FormFields, field_errors, schema_input
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
HERE = "/network/mine"


def _page(
    request: Request,
    session: Any,
    actor: Actor,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    own = sorted(o for o, role in actor.org_roles.items() if role)
    relations = {org: queries.list_relations(session, actor, organisation_id=org) for org in own}
    ids = set(own) | {i for rows in relations.values() for r in rows for i in (r.from_id, r.to_id)}
    names = dict(organisations.organisation_choices(session, ids))
    editable = [o for o in own if actor.has_role(o, OrgRole.EDITOR)]
    context = {
        "own": own,
        "relations": relations,
        "names": names,
        "editable": editable,
        "kinds": list(labels_of("declared_relation")),
        "may_confirm": lambda r: allowed(actor, "network.relation.confirm", r),
        "may_withdraw": lambda r: allowed(actor, "network.relation.withdraw", r),
        "done": flash.take(request.session, language_of(request)),
        "further": table.partners_of_partners(session, actor, own, clock.today()),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "network/mine.html", context, status)


@router.get(HERE, response_class=HTMLResponse)
def your_network_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, "network.relation.list")
    return _page(request, session, actor)


@router.post("/network/relations", response_class=HTMLResponse, dependencies=[CsrfChecked])
def declare_relation_form(
    request: Request, session: SessionDep, actor: ActorDep, form: FormFields
) -> Response:
    """Declare a relation of an organisation one edits with another (named by its number, NIP
    or REGON); it counts once the other side or the coordinator confirms it."""
    require(actor, "network.relation.list")
    data = dict(form)
    partner = data.pop("partner", None)
    data["partner_id"] = organisations.find_organisation_id(session, partner or "") or 0
    try:
        declared = RelationDeclare.model_validate(schema_input(RelationDeclare, data))
        with unit_of_work(session):
            service.declare_relation(session, actor, declared)
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        if isinstance(exc, Conflict):
            raise
        errors = field_errors(exc, language_of(request))
        if "partner_id" in errors:
            errors["partner"] = errors.pop("partner_id")
        return _page(request, session, actor, form, errors, 422)
    declared_message = N_("The relation is declared: it counts once the other side confirms it.")
    flash.flash(request.session, Message(declared_message))
    return RedirectResponse(HERE, status_code=303)


@router.post("/network/relations/{relation_id}/confirm", dependencies=[CsrfChecked])
def confirm_relation_form(
    relation_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.confirm_relation(session, actor, relation_id)
    flash.flash(request.session, Message(N_("The relation is confirmed.")))
    return RedirectResponse(HERE, status_code=303)


@router.post("/network/relations/{relation_id}/withdraw", dependencies=[CsrfChecked])
def withdraw_relation_form(
    relation_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.withdraw_relation(session, actor, relation_id)
    flash.flash(request.session, Message(N_("The relation is withdrawn.")))
    return RedirectResponse(HERE, status_code=303)
