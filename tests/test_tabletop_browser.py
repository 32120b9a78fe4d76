"""The tabletop exercise in Chromium through a real JupyterHub: the facilitator runs a session from the
console, two participants in different roles play it from their page, everything shows up within 2 seconds
without a reload, the debrief opens, the export holds every decision; a forged cookie request is refused;
neither page has a serious or critical axe-core violation."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tabletop_hub import proxy, running_hub

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        proxy() is None or not Path(CHROMIUM).exists(), reason="needs configurable-http-proxy and Chromium"
    ),
]
REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
}"""
INSTRUCTOR, P1, P2, P3 = "ttb-inst", "ttb-p1", "ttb-p2", "ttb-p3"
LIVE_SECONDS = 2.0


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(SERIOUS)


def login(browser, hub, user: str, path: str):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", "any")
    page.click("#login_submit")
    page.wait_for_url("**/hub/**")
    page.goto(hub.service_url + path)
    page.wait_for_url(f"**/services/tabletop/{path}*")  # straight there: the service is oauth_no_confirm
    return page


def seconds_until(page, selector: str, text: str, start: float) -> float:
    page.locator(selector, has_text=text).first.wait_for(timeout=10_000)
    return time.monotonic() - start


def test_a_session_in_the_browser(tmp_path):
    assert AXE.exists(), "axe-core is missing: link /work/main/node_modules or run `make js-deps`"
    from playwright.sync_api import sync_playwright

    with running_hub([INSTRUCTOR]) as hub, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            console = login(browser, hub, INSTRUCTOR, "console")
            console.get_by_label("Exercise").select_option("spring-2022")
            console.get_by_role("button", name="Create session").click()
            console.locator("#run").wait_for(state="visible")
            console.get_by_label('Assign by list: one "user: role" per line').fill(
                f"{P1}: romania\n{P2}: cautious\n{P3}: cautious"
            )
            console.get_by_role("button", name="Assign", exact=True).click()
            console.locator("#members td", has_text=P2).wait_for()
            console.get_by_label("Deadline in minutes (empty for none)").fill("15")
            console.get_by_role("button", name="Release").click()
            console.locator("#live", has_text="A wiper that poses as ransomware").wait_for()

            pages = {user: login(browser, hub, user, "") for user in (P1, P2, P3)}
            for page in pages.values():
                page.locator("#inject-body h3", has_text="A wiper that poses as ransomware").wait_for(timeout=10_000)
            romania, cautious = pages[P1], pages[P2]
            assert "DNSC has the IP addresses" in romania.locator("#role").inner_text()
            assert "not been able to confirm" not in romania.content()
            assert "not been able to confirm" in cautious.locator("#role").inner_text()
            assert "DNSC has the IP addresses" not in cautious.content()
            assert "Fiction (exercise)" in cautious.locator("#role").inner_text()

            # participant 1 decides with the keyboard only: Tab to the options, arrows, Space, type, Enter
            romania.get_by_label("Back an EU declaration of solidarity with Ukraine that names no State.").focus()
            romania.keyboard.press("Space")
            romania.keyboard.press("Tab")
            romania.keyboard.type("Solidarity first; attribution is for later.")
            romania.keyboard.press("Tab")
            romania.keyboard.press("Enter")
            start = time.monotonic()
            romania.locator("#decide-status", has_text="Saved").wait_for()
            shown_1 = seconds_until(console, "#live td", "Solidarity first", start)
            cautious.get_by_label("Wait for more evidence before doing anything.").check()
            cautious.get_by_label("Your team's rationale (required)").fill("<b>We</b> need =evidence")
            cautious.get_by_role("button", name="Record our decision").click()
            start = time.monotonic()
            cautious.locator("#decide-status", has_text="Saved").wait_for()
            shown_2 = seconds_until(console, "#live td", "<b>We</b> need =evidence", start)
            teammate = seconds_until(pages[P3], "#team-decision", "<b>We</b> need =evidence", start)
            assert max(shown_1, shown_2, teammate) < LIVE_SECONDS, (shown_1, shown_2, teammate)
            assert pages[P3].locator("#team-decision b").count() == 0 and P2 not in pages[P3].content()
            assert console.locator("#live b").count() == 0  # a participant's text is never markup
            romania.wait_for_timeout(1500)  # a poll or more: the other team's decision must still not show
            assert "Wait for more evidence" not in romania.locator("#team-decision").inner_text()
            assert "need =evidence" not in romania.content() and P2 not in romania.content()
            console.screenshot(path="/tmp/tabletop-console.png", full_page=True)
            romania.screenshot(path="/tmp/tabletop-participant.png", full_page=True)

            # a forged request riding participant 1's cookie (no XSRF token) is refused and changes nothing
            before = console.request.get(hub.service_url + "api/sessions").json()
            forged = romania.request.post(
                hub.service_url + f"api/play/{before['sessions'][0]['id']}/decide",
                data=json.dumps({"inject": "whispergate", "option": "attribute", "rationale": "forged"}),
                headers={"Content-Type": "application/json"},
            )
            assert forged.status == 403

            # the next inject and the unanimity outcome reach the participants within 2 s, without a reload
            console.get_by_label("Next inject").select_option("ddos-february")
            console.get_by_role("button", name="Release").click()
            start = time.monotonic()
            assert seconds_until(romania, "#inject-body h3", "DDoS on Ukraine", start) < LIVE_SECONDS
            romania.locator("#history", has_text="No EU declaration this week").wait_for(timeout=5000)
            console.locator("#outcomes", has_text="No EU declaration this week").wait_for(timeout=5000)

            # a room poll: opened on the console, answered by participant 1, counted live and anonymously
            console.get_by_label("Poll", exact=True).select_option("sanctions-rule")
            console.get_by_role("button", name="Open the poll").click()
            romania.get_by_label("Unanimity", exact=True).check(timeout=5000)
            romania.get_by_role("button", name="Answer the poll").click()
            start = time.monotonic()
            romania.locator("#poll-status", has_text="counted").wait_for()
            assert seconds_until(console, "#poll-live li", "Unanimity: 1", start) < LIVE_SECONDS
            assert P1 not in console.locator("#poll-live").inner_text()

            violations = {"console": axe_violations(console), "participant": axe_violations(romania)}
            assert violations == {"console": [], "participant": []}

            console.get_by_role("button", name="Open the debrief").click()
            start = time.monotonic()
            assert seconds_until(cautious, "#debrief", "What happened", start) < LIVE_SECONDS
            assert "2022-01-16" in cautious.locator("#debrief").inner_text()
            cautious.screenshot(path=str(ARTIFACTS / "tabletop-debrief.png"), full_page=True)

            session_id = before["sessions"][0]["id"]
            exported = console.request.get(hub.service_url + f"api/sessions/{session_id}/export.json").json()
            assert [(d["user"], d["option"]) for d in exported["decisions"]] == [(P1, "declare"), (P2, "wait")]
            csv_text = console.request.get(hub.service_url + f"api/sessions/{session_id}/export.csv").text()
            assert "'<b>We</b> need =evidence" not in csv_text and "<b>We</b> need =evidence" in csv_text
            assert csv_text.count("\n") == 3  # header and two decisions
        except Exception:
            for name, page in {"console": locals().get("console"), **locals().get("pages", {})}.items():
                if page is not None:
                    page.screenshot(path=str(ARTIFACTS / f"tabletop-{name}-failed.png"))
            raise
        finally:
            browser.close()
