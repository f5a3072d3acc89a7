"""Imports every area's models so the metadata (and Alembic) sees the whole schema."""

from upland import audit
from upland.accounts import models as accounts_models
from upland.db import Base
from upland.events import models as events_models
from upland.jobs import models as jobs_models
from upland.mail import models as mail_models
from upland.market import models as market_models
from upland.market.interests import models as market_interests_models
from upland.market.saved import models as market_saved_models
from upland.matching import models as matching_models
from upland.matching.feedback import models as matching_feedback_models
from upland.matching.weights import models as matching_weights_models
from upland.network import models as network_models
from upland.notifications import models as notifications_models
from upland.organisations import models as organisations_models
from upland.reference import models as reference_models
from upland.scheduler import models as scheduler_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "audit",
    "events_models",
    "jobs_models",
    "mail_models",
    "market_interests_models",
    "market_models",
    "market_saved_models",
    "matching_feedback_models",
    "matching_models",
    "matching_weights_models",
    "metadata",
    "network_models",
    "notifications_models",
    "organisations_models",
    "reference_models",
    "scheduler_models",
]
