"""Shapes of saved searches and follows, for the API and the forms. A saved search is the
browse list's own filter (`OpportunityFilter`) with a name, so whatever the list filters by can
be saved, and nothing else."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from upland.market.schemas import OpportunityFilter, Strict

NAME_MAX = 80
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]


class SavedSearchCreate(OpportunityFilter):
    name: Name


class SavedSearchRename(Strict):
    name: Name


class SavedSearchRead(OpportunityFilter):
    id: int
    name: str
    url: str
    """The browse list with this filter."""
    created_at: dt.datetime


class SavedSearchList(BaseModel):
    items: list[SavedSearchRead]
    limit: int


class FollowRead(BaseModel):
    opportunity_id: int
    title: str
    url: str
    followed_at: dt.datetime


class FollowList(BaseModel):
    items: list[FollowRead]


class Following(BaseModel):
    opportunity_id: int
    following: bool
