"""The dashboard: server-rendered HTML pages (Jinja2 templates in fleet/templates/, SVG
charts from fleet/svg.py, no JavaScript), behind the operator token like the API: sent as
`Authorization: Bearer TOKEN`, or typed once into the login form, which sets it as an
HttpOnly, SameSite=Strict cookie (accepted for GET requests only, so a page elsewhere cannot
make the browser change anything).

    /            fleet overview: devices, versions, last seen, alerts, cohorts, rollouts
    /devices/ID  one device: estimated accuracy and confidence over time, feature x time
                 drift (PSI) heatmap, its alerts
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from microforge.fleet import svg, views
from microforge.fleet.auth import COOKIE, bearer
from microforge.fleet.tokens import MAX_TOKEN_CHARS, is_valid

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                        autoescape=select_autoescape(["html"]))
TIMELINE_RECORDS = 200  # records per device page
PSI_SCALE = 0.5  # PSI at which a heatmap cell is fully red (0.25 is the alert threshold)


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=status)


def login_page(message: str = "", status: int = 401) -> HTMLResponse:
    return page("login.html", status, message=message)


def signed_in(request: Request) -> bool:
    return is_valid(request.app.state.fleet.reader, bearer(request))


def overview_context(request: Request) -> dict[str, Any]:
    with request.app.state.fleet.reader() as s:
        devices = views.list_devices(s)
        alerts = views.list_alerts(s, limit=20)
        rollouts = views.list_rollouts(s)
        cohorts = views.drift_groups(s, "cohort")
    funnel = Counter((r["bundle"], r["state"]) for r in rollouts)
    bars = [(f"{bundle}: {state}", float(n)) for (bundle, state), n in sorted(funnel.items())]
    versions = Counter(f"{d['model_id']:#010x} v{d['model_version']}" for d in devices)
    return {"devices": devices, "alerts": alerts, "cohorts": cohorts,
            "versions": sorted(versions.items()),
            "funnel_svg": svg.bar_chart(bars, label="rollout funnel") if bars else "",
            "records": sum(d["records"] for d in devices)}


def device_context(request: Request, device_id: int) -> dict[str, Any]:
    with request.app.state.fleet.reader() as s:
        device = views.device_detail(s, device_id)
        timeline = views.timeline(s, device_id, TIMELINE_RECORDS)
        alerts = views.list_alerts(s, device_id, limit=50)
    seqs = [str(t["seq"]) for t in timeline]
    accuracy_svg = svg.line_chart(
        [("estimated accuracy", [t["estimated_accuracy"] for t in timeline])],
        y_range=(0.0, 1.0), label="estimated accuracy", reference=device["reference_accuracy"],
        x_labels=seqs)
    confidence_svg = svg.line_chart(
        [("mean confidence", [t["mean_confidence"] for t in timeline])], y_range=(0.0, 1.0),
        label="confidence", reference=device["reference_mean_confidence"], x_labels=seqs)
    groups = device["feature_groups"]
    psi = [[t["feature_psi"][f] if f < len(t["feature_psi"]) else None for t in timeline]
           for f in range(len(groups))]
    heatmap_svg = svg.heatmap([f"feature {g}" for g in groups], seqs, psi,
                              label="feature drift", vmax=PSI_SCALE)
    return {"device": device, "timeline": timeline, "alerts": alerts,
            "accuracy_svg": accuracy_svg, "confidence_svg": confidence_svg,
            "heatmap_svg": heatmap_svg}


def dashboard_router() -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def overview(request: Request) -> Response:
        if not signed_in(request):
            return login_page()
        return page("overview.html", **overview_context(request))

    @router.get("/devices/{device_id}", response_class=HTMLResponse)
    def device(device_id: int, request: Request) -> Response:
        if not signed_in(request):
            return login_page()
        return page("device.html", **device_context(request, device_id))

    @router.get("/login", response_class=HTMLResponse)
    def login_form() -> Response:
        return login_page(status=200)

    @router.post("/login")
    async def login(request: Request) -> Response:
        body = await request.body()
        token = parse_qs(body[: 4 * MAX_TOKEN_CHARS].decode("utf-8", "replace")).get(
            "token", [""])[0].strip()
        if not is_valid(request.app.state.fleet.reader, token):
            return login_page("That token is not valid.")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    @router.post("/logout")
    def logout() -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    return router
