"""The tabletop service on the course's own hub configuration: real Unix accounts, PAM logins, the hub set up
by ``coursekit.hub.setup`` from ``deploy/jupyterhub_config.py`` (the fixtures of tests/test_hub.py). The
instructor given to the set-up facilitates; participants play and see only their own role card; a participant
is refused the console."""

from __future__ import annotations

import os

import pytest
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from test_hub import check_prerequisites, running_hub

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow]
INSTRUCTOR, P1, P2 = "cktt-inst", "cktt-p1", "cktt-p2"


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("The hub test creates Unix accounts and starts JupyterHub as root: run it as root.")
    problem = check_prerequisites()
    if problem:
        pytest.fail(problem)
    with running_hub(INSTRUCTOR, [P1, P2]) as running:
        yield running


def login(browser, hub: dict, user: str, path: str):
    """PAM login straight to the service (``next``), so no single-user server needs to start."""
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    service = f"/services/tabletop/{path}"
    page.goto(f"{hub['url']}/hub/login?next={service}")
    page.fill("#username_input", user)
    page.fill("#password_input", hub["passwords"][user])
    page.click("#login_submit")
    page.wait_for_url(f"**{service}*", timeout=60_000)  # no consent page: the service is oauth_no_confirm
    return page


def test_the_deployed_hub_runs_the_tabletop_service(hub):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            console = login(browser, hub, INSTRUCTOR, "console")
            console.get_by_label("Exercise").select_option("spring-2022")
            console.get_by_role("button", name="Create session").click()
            console.locator("#run").wait_for(state="visible")
            console.get_by_label('Assign by list: one "user: role" per line').fill(f"{P1}: partner\n{P2}: industry")
            console.get_by_role("button", name="Assign", exact=True).click()
            console.locator("#members td", has_text=P2).wait_for()
            console.get_by_role("button", name="Release").click()
            partner = login(browser, hub, P1, "")
            partner.locator("#inject-body h3", has_text="A wiper").wait_for(timeout=15_000)
            assert "National Cyber Security Centre" in partner.locator("#role").inner_text()
            assert "Your analysts have samples" not in partner.content()
            refused = partner.request.get(f"{hub['url']}/services/tabletop/console")
            assert refused.status == 403
            partner.get_by_label(
                "Share technical indicators with CERTs and companies; no public statement yet."
            ).check()
            partner.get_by_label("Your team's rationale (required)").fill("Defenders first.")
            partner.get_by_role("button", name="Record our decision").click()
            console.locator("#live td", has_text="Defenders first.").wait_for(timeout=5000)
            console.screenshot(path=str(ARTIFACTS / "tabletop-pam-console.png"), full_page=True)
        finally:
            browser.close()
