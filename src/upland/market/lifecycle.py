"""The opportunity's lifecycle as one table (pure: no session, no clock).

draft → submitted → (coordinator review: approve or return with a reason) → published →
expired / fulfilled / withdrawn. Whether the deployment reviews (`UPLAND_MARKET_REVIEW`) picks
one of two tables: without review, submitting publishes at once and there is nothing to
approve; with review, nothing is published but by approval (or by renewing an opportunity
that was approved before).
"""

from __future__ import annotations

from upland.errors import Conflict
from upland.i18n import label_message
from upland.market.vocab import Action, Status

S, A = Status, Action

# (state, action) → next state, when the deployment reviews opportunities.
WITH_REVIEW: dict[tuple[Status, Action], Status] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.RETURNED, A.EDIT): S.RETURNED,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.APPROVE): S.PUBLISHED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.RETURNED, A.WITHDRAW): S.WITHDRAWN,
    (S.PUBLISHED, A.WITHDRAW): S.WITHDRAWN,
    (S.PUBLISHED, A.FULFIL): S.FULFILLED,
    (S.EXPIRED, A.FULFIL): S.FULFILLED,
    (S.PUBLISHED, A.EXPIRE): S.EXPIRED,
    (S.PUBLISHED, A.RENEW): S.PUBLISHED,
    (S.EXPIRED, A.RENEW): S.PUBLISHED,
}

# Without review: submitting or publishing publishes, and a published opportunity may be edited.
WITHOUT_REVIEW: dict[tuple[Status, Action], Status] = {
    **{k: v for k, v in WITH_REVIEW.items() if k[1] not in (A.APPROVE, A.RETURN, A.SUBMIT)},
    (S.DRAFT, A.SUBMIT): S.PUBLISHED,
    (S.RETURNED, A.SUBMIT): S.PUBLISHED,
    (S.DRAFT, A.PUBLISH): S.PUBLISHED,
    (S.RETURNED, A.PUBLISH): S.PUBLISHED,
    (S.SUBMITTED, A.APPROVE): S.PUBLISHED,  # one submitted while review was on
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.PUBLISHED, A.EDIT): S.PUBLISHED,
}


def table(review: bool) -> dict[tuple[Status, Action], Status]:
    return WITH_REVIEW if review else WITHOUT_REVIEW


def next_status(status: str, action: str, *, review: bool) -> Status:
    """The state `action` leads to from `status`, or Conflict (code `market.transition`)."""
    found = table(review).get((Status(status), Action(action)))
    if found is None:
        if Action(action) == A.PUBLISH and review:
            raise Conflict(
                "opportunities are reviewed by the coordinator before they are published: "
                "submit it for review",
                code="market.review_required",
            )
        raise Conflict(
            "an opportunity that is {status} cannot be changed this way ({action})",
            code="market.transition",
            status=label_message("opportunity_status", status),
            action=label_message("opportunity_action", action),
        )
    return found


def actions_from(status: str, *, review: bool) -> list[Action]:
    """The actions the table allows from `status`, in the order of `Action`."""
    allowed = {a for (s, a) in table(review) if s == status}
    return [a for a in Action if a in allowed]
