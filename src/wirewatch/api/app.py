"""The FastAPI application: JSON API under /api/, HTML pages, static assets."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from wirewatch import __version__ as VERSION
from wirewatch.api.auth import read_token_required_from_env
from wirewatch.service import Service
from wirewatch.store.repository import Store

WEB = Path(__file__).resolve().parent.parent / "web"

# Scripts only from our own files (no inline script, no eval); inline style attributes are
# allowed (bar widths), frames and plugins are not.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
log = logging.getLogger("wirewatch.api")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Server start-up: what start-up made (modules, routes, templates, ~120,000 objects)
    lives as long as the server, so it is frozen out of the garbage collector. A full
    collection walked all of it, 50-70 ms on a 2-core machine, inside whichever request
    happened to trigger it (the p95 of the longer pages)."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def create_app(store_url: str | None = None, *, read_token_required: bool | None = None,
               store: Store | None = None, service: Service | None = None) -> FastAPI:
    """The app over one store. Reads are public unless ``read_token_required`` (or
    WIREWATCH_READ_TOKEN_REQUIRED=1); writes always need a token."""
    from wirewatch.api import pages, routes, watchlists

    app = FastAPI(
        title="wirewatch", version=VERSION,
        description="Sourced facts from news: articles, actors, quotes, PLOVER events, "
                    "relations and places, each with its evidence sentence. Lists return "
                    "`{\"items\": [...], \"next\": cursor, \"total\": n}`; pass `cursor=next` for "
                    "the next page; `?facet=FIELD` adds counts by field; `?format=csv` or "
                    "`Accept: text/csv` for CSV.",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=_lifespan,
    )
    app.state.service = service or Service(store or Store(store_url))
    app.state.read_token_required = (read_token_required_from_env()
                                     if read_token_required is None else read_token_required)
    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if "%00" in request.url.query or "\x00" in request.url.path:
            # A NUL byte is never a real filter, and PostgreSQL cannot store or compare one.
            response: Response = JSONResponse({"error": {
                "status": 400, "message": "NUL bytes are not allowed in a request"}},
                status_code=400)
        else:
            response = await call_next(request)
        # Swagger UI (its own page) boots with one inline script; nothing else may run any.
        docs = request.url.path == "/api/docs"
        if response.status_code == 405:
            # Each method of a path is its own route; the Allow header names all of them.
            methods: set[str] = set()
            for route in app.router.routes:
                if route.matches(request.scope)[0] != Match.NONE:
                    methods |= set(getattr(route, "methods", None) or ())
            response.headers["Allow"] = ", ".join(sorted(methods))
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.include_router(routes.router)
    app.include_router(watchlists.router)
    app.include_router(pages.router)

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI from our own static files: the docs work offline, no CDN.
        vendor = "/static/vendor/swagger-ui"
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="wirewatch API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/favicon-32x32.png")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api") and exc.status_code in (401, 404):
            return pages.error_page(request, exc.status_code, str(exc.detail))
        return JSONResponse({"error": {"status": exc.status_code, "message": exc.detail}},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(x) for x in e['loc'] if x not in ('query', 'body'))}: "
                    f"{e['msg']}" for e in exc.errors()]
        return JSONResponse({"error": {"status": 422, "message": "invalid parameters: "
                                       + "; ".join(problems)}}, status_code=422)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        if not request.url.path.startswith("/api"):
            return HTMLResponse("<h1>Internal error</h1><p>The error was logged.</p>",
                                status_code=500)
        return JSONResponse({"error": {"status": 500, "message": "internal error; see the "
                                       "server log"}}, status_code=500)

    _prepare(app)
    return app


def _prepare(app: FastAPI) -> None:
    """Do now what the first request would otherwise do on its own (~120 ms at the first
    request of a process, whatever its endpoint): build the routers' route tables, compile
    the page templates, import the incident tables the event lists join."""
    from wirewatch.api import pages
    from wirewatch.store import incidents  # noqa: F401  (and its rule's YAML tables)

    # FastAPI (0.16x) builds an included router's routes (each one's parameter models) when
    # a request is first matched against it. Nothing is done when a version has no such
    # tables: the first request builds what it needs then, as before.
    def build(route: object) -> None:
        for name in ("effective_candidates", "effective_low_priority_routes"):
            for child in getattr(route, name, lambda: [])():
                build(child)

    for route in app.router.routes:
        build(route)
    env = pages.templates.env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
