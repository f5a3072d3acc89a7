"""Write the marketplace's demo history through the market's services, each step at its moment.

Why a replayed clock and not rows written with old dates: the services are the only writers
(DESIGN rule 1), and they stamp "now" on what they write. `upland.clock.replay` sets that now
to each step's moment, so the same code that serves users writes 2018's opportunities, with
2018's rules (an opportunity was live until its expiry date *then*), audit entries and signals;
nothing here knows a column. The signals go out when the caller commits, still inside the
replay, so news of the past is listed as read and never e-mailed (`notifications.notify`).

The demo's cluster reviewed opportunities, so the history is written under review
(`review_policy`): it holds waiting and returned ones whatever the deployment now says.
Each organisation acts through its demo log-in when it has one with an editor's rights (so
those users find their own history), otherwise through an editor of its own without an
account, labelled `demo:<short name>` in the audit log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import clock
from upland.accounts.models import Membership, User
from upland.accounts.queries import actor_for
from upland.actor import SYSTEM, Actor, OrgRole
from upland.demo.history.steps import Step, timeline
from upland.demo.history.texts import PARTNERSHIPS, opportunity_input
from upland.demo.opportunities.specs import (
    Agreement,
    BookingSpec,
    InterestSpec,
    MarketWorld,
    OpportunitySpec,
    OutcomeSpec,
    PassReason,
)
from upland.errors import Conflict
from upland.market import service as market
from upland.market.interests import service as answers
from upland.market.interests.schemas import BookingIn, InterestIn, OutcomeIn, PassIn
from upland.market.interests.vocab import AgreementType, DeclineReason, OutcomeKind
from upland.organisations.models import Organisation

PASS_REASONS = {
    PassReason.TOO_EARLY_STAGE: DeclineReason.TOO_EARLY,
    PassReason.BENEFIT_UNCLEAR: DeclineReason.BENEFIT_UNCLEAR,
    PassReason.COMMERCIAL_ROUTE_UNCLEAR: DeclineReason.COMMERCIAL_ROUTE_UNCLEAR,
    PassReason.DESCRIPTION_UNCLEAR: DeclineReason.DESCRIPTION_UNCLEAR,
    PassReason.NOT_STRATEGIC_FIT: DeclineReason.NOT_STRATEGIC,
}
COORDINATOR_LOGIN = "koordynator@"


def agreement_type(agreement: Agreement) -> AgreementType:
    return AgreementType(PARTNERSHIPS.get(agreement.value, agreement.value))


@dataclass
class _Ids:
    """What the history has written so far, by the specs' keys."""

    organisations: dict[str, int] = field(default_factory=dict)
    opportunities: dict[str, int] = field(default_factory=dict)
    interests: dict[str, int] = field(default_factory=dict)
    introductions: dict[str, int] = field(default_factory=dict)
    reports: dict[tuple[str, str, str], int] = field(default_factory=dict)
    bookings: dict[int, int] = field(default_factory=dict)  # id(spec) -> booking id


class _History:
    """One replay: who acts for each organisation, and the ids written so far; each step of
    the timeline is one service call (`_<action>`)."""

    def __init__(self, session: Session, market: MarketWorld) -> None:
        self.session = session
        self.market = market
        self.ids = _Ids()
        self.counts: Counter[str] = Counter()
        self.actors: dict[int, Actor] = {}
        rows = session.execute(
            select(Organisation.id, Organisation.legal_name, Organisation.short_name)
        )
        short: dict[int, str] = {}
        for org_id, legal_name, short_name in rows:
            self.ids.organisations[legal_name] = org_id
            short[org_id] = short_name or legal_name
        self._logins(short)

    def _logins(self, short: dict[int, str]) -> None:
        """Each organisation's actor: its demo log-in that edits it, else an account-less
        editor; the coordinator reviews and confirms, the scheduler (system) expires."""
        users = {u.id: u for u in self.session.scalars(select(User))}
        editors = self.session.execute(
            select(Membership.organisation_id, Membership.user_id)
            .where(Membership.role.in_((OrgRole.EDITOR.value, OrgRole.ADMIN.value)))
            .order_by(Membership.role.desc(), Membership.user_id)  # an editor before an admin
        )
        for org_id, user_id in editors:
            self.actors.setdefault(org_id, actor_for(self.session, users[user_id]))
        for org_id, name in short.items():
            self.actors.setdefault(
                org_id,
                Actor(
                    user_id=None,
                    label=f"demo:{name}"[:254],
                    org_roles={org_id: OrgRole.EDITOR},
                    is_cluster_member=True,
                ),
            )
        coordinator = next(
            (u for u in users.values() if u.email.startswith(COORDINATOR_LOGIN)), None
        )
        self.coordinator = actor_for(self.session, coordinator) if coordinator else SYSTEM

    def actor(self, legal_name: str) -> Actor:
        return self.actors[self.ids.organisations[legal_name]]

    def run(self, step: Step) -> None:
        getattr(self, f"_{step.action}")(step.spec)
        self.counts[step.action] += 1

    # --- opportunities ------------------------------------------------------------------------

    def _create(self, opp: OpportunitySpec) -> None:
        data = opportunity_input(opp, self.ids.organisations)
        made = market.create_opportunity(
            self.session, self.actor(opp.owner), data, today=clock.today()
        )
        self.ids.opportunities[opp.key] = made.id

    def _submit(self, opp: OpportunitySpec) -> None:
        market.submit_opportunity(
            self.session, self.actor(opp.owner), self.ids.opportunities[opp.key]
        )

    def _approve(self, opp: OpportunitySpec) -> None:
        market.approve_opportunity(self.session, self.coordinator, self.ids.opportunities[opp.key])

    def _return(self, opp: OpportunitySpec) -> None:
        market.return_opportunity(
            self.session, self.coordinator, self.ids.opportunities[opp.key], opp.return_reason
        )

    def _withdraw(self, opp: OpportunitySpec) -> None:
        market.withdraw_opportunity(
            self.session, self.actor(opp.owner), self.ids.opportunities[opp.key]
        )

    def _fulfil(self, opp: OpportunitySpec) -> None:
        market.fulfil_opportunity(
            self.session, self.actor(opp.owner), self.ids.opportunities[opp.key]
        )

    def _expire(self, _opp: OpportunitySpec) -> None:
        market.expire_due(self.session, SYSTEM, clock.now())

    # --- interests and introductions ----------------------------------------------------------

    def _express(self, interest: InterestSpec) -> None:
        org = self.ids.organisations[interest.organisation]
        made = answers.express_interest(
            self.session,
            self.actor(interest.organisation),
            self.ids.opportunities[interest.opportunity],
            InterestIn(organisation_id=org, message=interest.message_pl),
        )
        self.ids.interests[interest.key] = made.id

    def _pass(self, interest: InterestSpec) -> None:
        assert interest.pass_reason is not None
        org = self.ids.organisations[interest.organisation]
        made = answers.pass_on(
            self.session,
            self.actor(interest.organisation),
            self.ids.opportunities[interest.opportunity],
            PassIn(
                organisation_id=org,
                reason=PASS_REASONS[interest.pass_reason],
                message=interest.message_pl,
            ),
        )
        self.ids.interests[interest.key] = made.id

    def _owner_of(self, interest: InterestSpec) -> Actor:
        return self.actor(self.market.opportunity(interest.opportunity).owner)

    def _accept(self, interest: InterestSpec) -> None:
        introduction = answers.accept_interest(
            self.session, self._owner_of(interest), self.ids.interests[interest.key]
        )
        self.ids.introductions[interest.key] = introduction.id

    def _decline(self, interest: InterestSpec) -> None:
        answers.decline_interest(
            self.session, self._owner_of(interest), self.ids.interests[interest.key]
        )

    def _withdraw_interest(self, interest: InterestSpec) -> None:
        answers.withdraw_interest(
            self.session, self.actor(interest.organisation), self.ids.interests[interest.key]
        )

    def _report(self, outcome: OutcomeSpec) -> None:
        data = OutcomeIn(
            kind=OutcomeKind(outcome.kind.value),
            organisation_id=self.ids.organisations[outcome.reported_by],
            occurred_on=outcome.at.date(),
            agreement_type=agreement_type(outcome.agreement_type)
            if outcome.agreement_type
            else None,
            reason=outcome.abandon_reason_pl,
        )
        report = answers.record_outcome(
            self.session,
            self.actor(outcome.reported_by),
            self.ids.introductions[outcome.interest],
            data,
        )
        self.ids.reports[outcome.interest, outcome.reported_by, outcome.kind] = report.id

    def _confirm(self, outcome: OutcomeSpec) -> None:
        report = self.ids.reports[outcome.interest, outcome.reported_by, outcome.kind]
        answers.confirm_outcome(self.session, self.coordinator, report)

    # --- bookings -----------------------------------------------------------------------------

    def _book(self, booking: BookingSpec) -> None:
        try:
            made = answers.request_booking(
                self.session,
                self.actor(booking.organisation),
                self.ids.opportunities[booking.opportunity],
                BookingIn(
                    organisation_id=self.ids.organisations[booking.organisation],
                    starts_on=booking.starts_on,
                    ends_on=booking.ends_on,
                    purpose=booking.purpose_pl,
                ),
            )
        except Conflict as refused:
            if refused.code != "booking.overlap":
                raise
            self.counts["booking_refused"] += 1  # days taken meanwhile: the member chose others
            return
        self.ids.bookings[id(booking)] = made.id

    def _accept_booking(self, booking: BookingSpec) -> None:
        if id(booking) in self.ids.bookings:
            owner = self.actor(self.market.opportunity(booking.opportunity).owner)
            answers.accept_booking(self.session, owner, self.ids.bookings[id(booking)])

    def _decline_booking(self, booking: BookingSpec) -> None:
        if id(booking) in self.ids.bookings:
            owner = self.actor(self.market.opportunity(booking.opportunity).owner)
            answers.decline_booking(self.session, owner, self.ids.bookings[id(booking)])


def load_market(session: Session, spec: MarketWorld, replay: clock.Replay) -> dict[str, int]:
    """Replay `spec` onto the demo world already loaded in `session`: each step with the
    clock at its moment, flushed before the clock moves on. Returns how many rows of each kind
    were written. The caller owns the transaction and commits inside the replay."""
    history = _History(session, spec)
    with market.review_policy(True):
        for step in timeline(spec):
            replay.at(step.at)
            history.run(step)
            session.flush()
    done = history.counts
    return {
        "opportunities": done["create"],
        "interests": done["express"] + done["pass"],
        "introductions": done["accept"],
        "outcome reports": done["report"],
        "bookings": done["book"] - done["booking_refused"],
    }
