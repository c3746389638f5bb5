"""End to end in a real browser: Debian's chromium driven by Playwright (skipped when either is missing).

Types a phrase, picks an autocomplete entry, sees the chain, flags a gap phrase, opens the gaps page and
runs a named query. (The README's screenshots come from the real graph: ``python docs/make_screenshots.py``.)"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_autocomplete_to_chain(page, live_server, tmp_path: Path) -> None:
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="What did the patient say?")
    box.press_sequentially("pins an", delay=40)
    option = page.get_by_role("option").filter(has_text="Pins and needles").first
    option.wait_for()
    assert "layperson" in option.inner_text()
    box.press("ArrowDown")
    assert page.get_attribute("#q", "aria-activedescendant") == "q-opt-0"
    option.click()
    page.wait_for_url("**/search?q=*")
    assert "Known phrase" in page.locator(".status").inner_text()
    chain = page.locator(".chain")
    assert "Paresthesia" in chain.inner_text() and "R20.2" in chain.inner_text()
    assert page.locator("figure.picture svg").count() == 1
    shot = tmp_path / "result.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_keyboard_pick(page, live_server) -> None:
    page.goto(live_server.url + "/")
    box = page.locator("#q")
    box.press_sequentially("heart rac", delay=30)
    page.get_by_role("option").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert "Palpitations" in page.locator("main").inner_text()


def test_flag_a_gap_phrase_then_gaps_page(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.fill("#q", "my bones feel fizzy")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=*")
    assert "No established clinical concept" in page.locator(".status").inner_text()
    page.fill("#note", "said twice this week")
    page.get_by_role("button", name="Flag").click()
    page.wait_for_url("**flagged=1*")
    assert "is flagged (1 flag so far)" in page.locator("[role=status]").first.inner_text()
    page.get_by_role("link", name="Gaps", exact=True).click()
    page.select_option("#kind", "unmapped_expression")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=unmapped_expression*")
    table = page.locator("table.gaps").inner_text()
    assert "my bones feel fizzy" in table and "brain zaps" in table
    page.get_by_role("link", name="brain zaps", exact=True).first.click()
    page.wait_for_url("**/search?q=brain*")
    assert "No established clinical concept" in page.locator(".status").inner_text()


def test_gap_answer_leads_to_the_phrasings_and_cluster_it_resembles(page, live_server) -> None:
    page.goto(live_server.url + "/search?q=zaps+in+my+brain")
    section = page.get_by_role("region", name="Patients have said similar things that no concept covers yet")
    assert "brain zaps" in section.inner_text()
    section.get_by_role("link", name="clusters of gap phrasing").click()
    page.wait_for_url("**/gaps/clusters")
    assert "brain zaps" in page.locator("main").inner_text()
    page.go_back()
    page.get_by_role("link", name="brain zaps", exact=True).first.click()
    page.wait_for_url("**/search?q=brain*")
    assert "No established clinical concept" in page.locator(".status").inner_text()


def test_a_cluster_leads_to_the_impact_of_a_new_concept_for_it(page, live_server) -> None:
    """The terminology team's path: a cluster, its bridge tried as a new concept under a code, the phrases it
    would bring to that code."""
    page.goto(live_server.url + "/gaps/clusters")
    page.get_by_role("link", name="Try a bridge for this cluster").first.click()
    page.wait_for_url("**/gaps/impact?phrases=*")
    assert page.get_by_label("Patient phrases").input_value().splitlines()[0] == "brain zaps"
    page.get_by_label("Existing concept id").fill("")
    page.get_by_label("or a new concept, by its label").fill("Brain zaps")
    page.get_by_label("Also map the concept to this EHR category").fill("ICD10CM:R20.2")
    page.get_by_role("button", name="Show the impact").click()
    heading = page.get_by_role("heading", name="to a new concept, Brain zaps")
    assert "under ICD10CM:R20.2" in heading.inner_text()
    assert "HGAPEX:0034" in page.locator("dl.impact").inner_text()  # brain zaps, bridged


def test_run_a_named_query(page, live_server) -> None:
    page.goto(live_server.url + "/queries")
    page.get_by_role("link", name="Look up a phrase exactly").click()
    page.get_by_label("text").fill("pins and needles")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**run=1*")
    assert "pins and needles" in page.locator("table.results").inner_text()
    assert "SELECT" in page.locator("pre.sparql").inner_text()


def test_works_on_a_phone(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/search?q=heart+racing")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380  # no sideways scrolling
    context.close()
