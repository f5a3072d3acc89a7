"""create_app(): mounts each area's router, templates, static files and error mapping."""

from __future__ import annotations

import logging
from importlib import resources

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from upland import __version__, logs, private_files, startup
from upland.accounts.routes import router as accounts_router
from upland.db import get_engine
from upland.events.routes import router as events_router
from upland.health import Health
from upland.home.routes import router as home_router
from upland.jobs.routes import router as jobs_router
from upland.market.dashboard.routes import router as market_dashboard_router
from upland.market.interests.routes import router as market_interests_router
from upland.market.routes import router as market_router
from upland.market.saved.routes import router as market_saved_router
from upland.matching.routes import router as matching_router
from upland.network.recommendations.routes import router as network_recommendations_router
from upland.network.routes import router as network_router
from upland.notifications.routes import router as notifications_router
from upland.organisations.routes import router as organisations_router
from upland.reference.routes import router as reference_router
from upland.scheduler import runner
from upland.settings import Settings, get_settings
from upland.textkit import analysis
from upland.web import accessibility, api_docs, errors, language, openapi_rules, outbox
from upland.web.body_limit import BodyLimit
from upland.web.clean_input import refuse_control_characters
from upland.web.request_context import RequestContext

log = logging.getLogger("upland.http")


def create_served_app() -> FastAPI:
    """The app as `upland serve` builds it in each worker process: the search analyser's
    dictionaries are loaded first, at start-up, not in whichever request needs them first.
    Without Redis each process also runs the scheduler of periodic jobs (each tick runs once
    whatever the number of processes: `upland.scheduler.claims`)."""
    app = create_app()
    analysis.warm_up()
    if not get_settings().redis_url:  # with Redis, `upland worker` runs the periodic jobs
        runner.start()
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application; refuses (`startup.StartupError`) settings it must not serve with."""
    settings = settings or get_settings()
    startup.check_config(settings)
    private_files.restrict()
    logs.configure(settings.log_level)
    for warning in private_files.exposed_files(settings):
        log.warning(warning)
    app = FastAPI(
        title="Upland",
        version=__version__,
        description="Cooperation platform of the Lublin Automotive and Machinery Upland cluster.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_control_characters)],
    )

    # Innermost: a body past its limit is refused before any route reads or parses it.
    app.add_middleware(BodyLimit, settings=settings)
    # Next: it sees the session; it adds the security headers and no-store to every answer,
    # its own 500 page included.
    app.add_middleware(
        RequestContext,
        settings=settings,
        hsts=bool(settings.public_url and settings.public_url.startswith("https")),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="upland_session",
        same_site="lax",
        https_only=settings.https,
        max_age=14 * 86400,
    )
    if settings.trusted_proxies:
        # Outermost, so the log line, rate limits and cookies see the real client and scheme.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    errors.install(app)
    api_docs.install(app)
    openapi_rules.install(app)
    health = Health(settings.redis_url, get_engine)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        """Database reachable and migrated to head; Redis reachable when configured. A report
        under a second old is answered on the event loop; a new one is made in the pool."""
        report = health.recent()
        if report is None:
            report = await run_in_threadpool(health.report)
        status, body = report
        return JSONResponse(body, status_code=status)

    app.mount(
        "/static", StaticFiles(directory=str(resources.files("upland") / "static")), name="static"
    )
    node_modules = startup.node_modules_dir(settings)
    for name, folder in startup.VENDOR_DIRS.items():
        path = node_modules / folder
        app.mount(f"/vendor/{name}", StaticFiles(directory=str(path)), name=f"vendor-{name}")
    for router in (
        home_router,
        accounts_router,
        organisations_router,
        market_saved_router,
        market_router,
        market_interests_router,
        reference_router,
        matching_router,
        network_router,
        network_recommendations_router,
        jobs_router,
        notifications_router,
        market_dashboard_router,
        events_router,
        outbox.router,
        language.router,
        accessibility.router,
    ):
        app.include_router(router)
    return app
