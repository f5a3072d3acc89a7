"""The refresh that jobs and `upland index rebuild` run holds no transaction while the model
embeds: on SQLite a write lock held through a model load made the web's writes fail as busy."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, update
from tests import factories
from tests.conftest import _clear_setting_caches
from tests.databases import scratch_database

from upland import migrate
from upland.actor import SYSTEM
from upland.db import get_engine, transaction
from upland.matching import queries, service
from upland.matching.texts import ORGANISATION, item_text
from upland.organisations import queries as organisations
from upland.organisations.models import Organisation
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS
from upland.textkit.embedding import HashingEmbedder


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database of this run's backend that `transaction()` works on."""
    folder: Path = tmp_path_factory.mktemp("refresh")
    with scratch_database("upland_refresh", folder) as url, pytest.MonkeyPatch.context() as mp:
        mp.setenv("UPLAND_DATABASE_URL", url)
        _clear_setting_caches()
        migrate.upgrade(get_engine())
        with transaction() as session:
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        yield url
        get_engine().dispose()
    _clear_setting_caches()


class WatchedEmbedder:
    """A hashing embedder that notes the connections checked out while it embeds and may
    change the world in the middle of a batch."""

    def __init__(self, meanwhile: Callable[[], None] = lambda: None) -> None:
        self.inner = HashingEmbedder()
        self.name, self.dimension = self.inner.name, self.inner.dimension
        self.open_during_embed: list[int] = []
        self.meanwhile = meanwhile

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.open_during_embed.append(get_engine().pool.checkedout())  # type: ignore[attr-defined]
        self.meanwhile()
        return self.inner.embed(texts)


def _firms(count: int) -> list[int]:
    with transaction() as session:
        return [
            factories.organisation(session, description_en=f"Robotic welding of frames {n}.").id
            for n in range(count)
        ]


def _stored(kind: str, ids: list[int]) -> dict[int, str]:
    with transaction() as session:
        return {i: version[0] for i, version in queries.stored_versions(session, kind, ids).items()}


def _current(ids: list[int]) -> dict[int, str]:
    with transaction() as session:
        return {
            source.id: item_text(source).text_hash
            for source in organisations.list_profile_texts(session, ids)
        }


def test_no_connection_is_held_while_the_model_embeds(own_database: str) -> None:
    ids = _firms(3)
    embedder = WatchedEmbedder()
    done = service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=embedder)
    assert done.embedded == 3
    assert embedder.open_during_embed == [0]
    assert _stored(ORGANISATION, ids) == _current(ids)
    again = service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=embedder)
    assert (again.embedded, again.unchanged) == (0, 3)


def test_a_text_changed_while_embedding_is_not_stored_stale(own_database: str) -> None:
    ids = _firms(2)
    edited = ids[0]

    def edit() -> None:
        with transaction() as session:
            session.execute(
                update(Organisation)
                .where(Organisation.id == edited)
                .values(description_en="Laser cutting of sheet metal.")
            )

    done = service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=WatchedEmbedder(edit))
    assert done.embedded == 1
    stored = _stored(ORGANISATION, ids)
    assert edited not in stored  # its own change queues its own refresh
    assert stored[ids[1]] == _current(ids)[ids[1]]


def test_items_that_left_the_pool_are_marked_gone(own_database: str) -> None:
    ids = _firms(2)
    service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=WatchedEmbedder())
    with transaction() as session:
        session.execute(delete(Organisation).where(Organisation.id == ids[0]))
    done = service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=WatchedEmbedder())
    assert done.removed == 1
    with transaction() as session:
        assert queries.stored_ids(session, ORGANISATION) & set(ids) == {ids[1]}


def test_a_visibility_change_is_recorded_without_embedding_again(own_database: str) -> None:
    ids = _firms(2)
    service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=WatchedEmbedder())
    with transaction() as session:
        flags = queries.reader_flags(session, ORGANISATION, ids)
        assert flags == {ids[0]: (True, True), ids[1]: (True, True)}
        session.execute(
            update(Organisation).where(Organisation.id == ids[0]).values(visibility="members")
        )
    embedder = WatchedEmbedder()
    done = service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=embedder)
    assert (done.embedded, done.reclassified) == (0, 1) and embedder.open_during_embed == []
    with transaction() as session:
        flags = queries.reader_flags(session, ORGANISATION, ids)
        assert flags == {ids[0]: (False, True), ids[1]: (True, True)}


def test_the_hourly_job_writes_again_who_may_open_what_a_refresh_missed(
    own_database: str,
) -> None:
    from upland.matching import schedule
    from upland.scheduler import registry, runner

    periodic = registry.get(schedule.RECONCILE)
    assert periodic is not None and periodic.every is not None
    assert schedule.RECONCILE in {job.id for job in runner.build().get_jobs()}
    ids = _firms(2)
    service.refresh_in_steps(SYSTEM, ORGANISATION, ids, embedder=WatchedEmbedder())
    with transaction() as session:  # no signal, no refresh job: as if it were lost
        session.execute(
            update(Organisation).where(Organisation.id == ids[0]).values(visibility="members")
        )
    assert runner.run_now(schedule.RECONCILE) == "reclassified 1"  # as its tick runs it
    with transaction() as session:
        flags = queries.reader_flags(session, ORGANISATION, ids)
        assert flags == {ids[0]: (False, True), ids[1]: (True, True)}
    assert service.reconcile_readers() == 0  # nothing left to write
