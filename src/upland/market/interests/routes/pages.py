"""The pages of interests, introductions and outcomes (Jinja2, forms that keep their input on
error). An opportunity's answers page (`/market/{id}/interests`) holds the "express interest"
and "pass, with a reason" forms and, for its owner, the interests received with accept and
decline; `/market/interests` lists an organisation's answers sent and received;
`/market/introductions` the introductions with contacts and outcome forms. Bookings have their
own module (`bookings`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from upland.accounts import flash
from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.i18n import N_, Message
from upland.market.interests import presenters, queries, service
from upland.market.interests.routes.forms import act, edited, head, logged_in, opportunity_of
from upland.market.interests.schemas import DecisionIn, InterestIn, OutcomeIn, PassIn
from upland.market.interests.vocab import OFFER_KINDS, AgreementType, DeclineReason, OutcomeKind
from upland.web.deps import ActorDep, CsrfChecked, SessionDep
from upland.web.forms import FormFields, validate_form
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)


# --- an opportunity's answers ------------------------------------------------------------------


def _answers_page(
    request: Request,
    session: Session,
    actor: Actor,
    opportunity_id: int,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    opportunity = opportunity_of(session, actor, opportunity_id)
    rows = queries.list_interests(session, actor, opportunity_id=opportunity.id)
    names = presenters.interest_names(session, rows)
    mine = [
        presenters.interest(actor, r, names)
        for r in rows
        if actor.has_role(r.organisation_id, OrgRole.VIEWER)
    ]
    received = [
        presenters.interest(actor, r, names)
        for r in rows
        if not actor.has_role(r.organisation_id, OrgRole.VIEWER)
    ]
    answered = {r.organisation_id for r in rows}
    choices = [c for c in edited(session, actor, opportunity.owner_id) if c[0] not in answered]
    context = head(session, actor, opportunity, language_of(request)) | {
        "mine": mine,
        "received": received,
        "choices": choices,
        "may_pass": opportunity.kind in OFFER_KINDS,
        "reasons": [(r.value, r.value) for r in DeclineReason],
        "errors": errors or {},
        "values": values or {},
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/interests/opportunity.html", context, status)


@router.get("/market/{opportunity_id:int}/interests", response_class=HTMLResponse)
def answers_page(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _answers_page(request, session, actor, opportunity_id)


def _answer_form(
    request: Request,
    session: Session,
    actor: Actor,
    opportunity_id: int,
    raw: dict[str, Any],
    write: Callable[[], Message],
) -> Response:
    return act(
        request,
        session,
        write,
        f"/market/{opportunity_id}/interests",
        lambda errors, status: _answers_page(
            request, session, actor, opportunity_id, errors, raw, status
        ),
    )


@router.post("/market/{opportunity_id:int}/interests", dependencies=[CsrfChecked])
def express_interest_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    def write() -> Message:
        data = validate_form(InterestIn, raw)
        service.express_interest(session, actor, opportunity_id, data)
        return Message(N_("Your interest was sent to the owner."))

    return _answer_form(request, session, actor, opportunity_id, raw, write)


@router.post("/market/{opportunity_id:int}/passes", dependencies=[CsrfChecked])
def pass_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    def write() -> Message:
        data = validate_form(PassIn, raw)
        service.pass_on(session, actor, opportunity_id, data)
        return Message(N_("You passed on this offer; the owner sees your reason."))

    return _answer_form(request, session, actor, opportunity_id, raw, write)


def _decision(
    request: Request,
    session: Session,
    actor: Actor,
    interest_id: int,
    raw: dict[str, Any],
    step: Callable[[Session, Actor, int, DecisionIn], Any],
    said: str,
) -> Response:
    interest = queries.get_interest(session, actor, interest_id)
    opportunity_id = interest.opportunity_id

    def write() -> Message:
        step(session, actor, interest_id, validate_form(DecisionIn, raw))
        return Message(said)

    return _answer_form(request, session, actor, opportunity_id, raw, write)


@router.post("/market/interests/{interest_id}/accept", dependencies=[CsrfChecked])
def accept_interest_form(
    interest_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _decision(
        request,
        session,
        actor,
        interest_id,
        raw,
        service.accept_interest,
        N_("Accepted: the introduction is recorded and you now see each other's contacts."),
    )


@router.post("/market/interests/{interest_id}/decline", dependencies=[CsrfChecked])
def decline_interest_form(
    interest_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _decision(
        request,
        session,
        actor,
        interest_id,
        raw,
        service.decline_interest,
        N_("The interest was declined."),
    )


@router.post("/market/interests/{interest_id}/withdraw", dependencies=[CsrfChecked])
def withdraw_interest_form(
    interest_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _decision(
        request,
        session,
        actor,
        interest_id,
        {},
        lambda s, a, i, _d: service.withdraw_interest(s, a, i),
        N_("Your interest was withdrawn."),
    )


# --- an organisation's answers, sent and received -----------------------------------------------


@router.get("/market/interests", response_class=HTMLResponse)
def interests_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    logged_in(actor)
    sent = queries.list_interests(session, actor, direction="sent")
    received = queries.list_interests(session, actor, direction="received")
    names = presenters.interest_names(session, [*sent, *received])
    context = {
        "sent": [presenters.interest(actor, r, names) for r in sent],
        "received": [presenters.interest(actor, r, names) for r in received],
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/interests/mine.html", context)


# --- introductions and their outcomes -----------------------------------------------------------


def _introductions_page(
    request: Request,
    session: Session,
    actor: Actor,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    logged_in(actor)
    rows = queries.list_introductions(session, actor)
    items = presenters.introductions(session, actor, rows, with_contacts=True)
    context = {
        "items": items,
        "may_report": {
            r.id
            for r in rows
            if any(actor.has_role(o, OrgRole.EDITOR) for o in (r.owner_id, r.interested_id))
        },
        "outcome_kinds": [k.value for k in OutcomeKind],
        "agreement_types": [t.value for t in AgreementType],
        "errors": errors or {},
        "values": values or {},
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/interests/introductions.html", context, status)


@router.get("/market/introductions", response_class=HTMLResponse)
def introductions_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _introductions_page(request, session, actor)


@router.post("/market/introductions/{introduction_id}/outcomes", dependencies=[CsrfChecked])
def record_outcome_form(
    introduction_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    raw: FormFields,
) -> Response:
    queries.get_introduction(session, actor, introduction_id)

    def write() -> Message:
        service.record_outcome(session, actor, introduction_id, validate_form(OutcomeIn, raw))
        return Message(N_("The outcome was recorded."))

    return act(
        request,
        session,
        write,
        f"/market/introductions#introduction-{introduction_id}",
        lambda errors, status: _introductions_page(
            request,
            session,
            actor,
            {k if k == "form" else f"{introduction_id}.{k}": v for k, v in errors.items()},
            {"introduction": introduction_id, **raw},
            status,
        ),
    )


@router.post("/market/outcomes/{report_id}/confirm", dependencies=[CsrfChecked])
def confirm_outcome_form(
    report_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    def write() -> Message:
        service.confirm_outcome(session, actor, report_id)
        return Message(N_("The agreement is confirmed and counts."))

    return act(
        request,
        session,
        write,
        "/market/introductions",
        lambda errors, status: _introductions_page(request, session, actor, errors, {}, status),
    )
