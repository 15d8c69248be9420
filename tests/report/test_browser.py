"""The report in a real headless Chromium (Debian's `chromium` and `chromium-driver`).

Each test re-renders a stored results.json (the fixtures in tests/report/fixtures/,
written by make_fixtures.py from real tiny runs, and the committed example run) with
`automl report`, opens it from disk, and checks
what a reader relies on: no console error, every plot drawn, the leaderboard sorting and
filtering, no network request, and no script from the data running.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deepenough.cli import app
from deepenough.report import read_results

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(__file__).parents[2] / "reports" / "examples" / "penguins" / "results.json"
"""The committed example: a real 30-trial run, pruned trials included."""
SOURCES = {p.stem: p for p in FIXTURES.glob("*.json")} | {"example": EXAMPLE}
CASES = sorted(SOURCES)
REQUIRED = os.environ.get("DEEPENOUGH_BROWSER_TESTS") == "required"
"""CI sets this, so that a missing browser fails the suite instead of skipping it."""

RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (...args) => { window.__dialogs.push([name, String(args[0])]); };
}
"""

pytestmark = pytest.mark.browser


def _executable(names: tuple[str, ...], variable: str) -> str | None:
    return os.environ.get(variable) or next(filter(None, map(shutil.which, names)), None)


@pytest.fixture(scope="module")
def browser():
    chromium = _executable(("chromium", "chromium-browser"), "DEEPENOUGH_CHROMIUM")
    driver_path = _executable(("chromedriver",), "DEEPENOUGH_CHROMEDRIVER")
    if not (chromium and driver_path):
        message = "needs Chromium and its driver (Debian: apt install chromium chromium-driver)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_DIALOGS})
    yield driver
    driver.quit()


def open_report(browser, tmp_path: Path, case: str) -> Path:
    """Re-render the fixture's report with `automl report` and load it from disk."""
    run_dir = tmp_path / case
    run_dir.mkdir()
    shutil.copy(SOURCES[case], run_dir / "results.json")
    done = CliRunner().invoke(app, ["report", str(run_dir)])
    assert done.exit_code == 0, done.output
    browser.get_log("browser")  # drop entries of the previous page
    browser.get_log("performance")
    browser.get((run_dir / "report.html").as_uri())
    browser.execute_script("return document.readyState")
    return run_dir


@pytest.mark.parametrize("case", CASES)
def test_report_renders_without_errors_and_draws_every_plot(browser, tmp_path, case) -> None:
    run_dir = open_report(browser, tmp_path, case)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    plots = browser.execute_script(
        "return Array.from(document.querySelectorAll('div.plot'), plot => "
        "[plot.closest('section').id, plot.querySelector('svg.main-svg') !== null])"
    )
    assert plots or case == "all_failed", "no plot container"  # nothing to plot there
    assert [section for section, drawn in plots if not drawn] == []
    rows = browser.execute_script(
        "return document.querySelectorAll('#leaderboard tbody tr').length"
    )
    assert rows == len(read_results(run_dir).trials)
    assert browser.execute_script("return window.__dialogs") == []
    browser.save_screenshot(str(run_dir / "report.png"))
    assert (run_dir / "report.png").stat().st_size > 10_000


@pytest.mark.parametrize("case", ["example", "failed_trials"])
def test_leaderboard_sorts_by_the_clicked_header(browser, tmp_path, case) -> None:
    open_report(browser, tmp_path, case)
    column = "return Array.from(document.querySelectorAll('#leaderboard tbody tr'), row => "
    column += "Number(row.cells[arguments[0]].getAttribute('data-sort')))"
    headers = browser.find_elements("css selector", "#leaderboard thead th")
    index = [h.text for h in headers].index("trial")
    headers[index].click()
    ascending = browser.execute_script(column, index)
    assert ascending == sorted(ascending)
    headers[index].click()
    assert browser.execute_script(column, index) == sorted(ascending, reverse=True)
    assert headers[index].get_attribute("aria-sort") == "descending"


def test_leaderboard_filters_by_status(browser, tmp_path) -> None:
    open_report(browser, tmp_path, "failed_trials")
    browser.find_element("css selector", "#leaderboard-status option[value='']")
    browser.execute_script(
        "const s = document.getElementById('leaderboard-status'); s.value = 'failed';"
        "s.dispatchEvent(new Event('change'));"
    )
    visible = browser.execute_script(
        "return Array.from(document.querySelectorAll('#leaderboard tbody tr'))"
        ".filter(row => !row.hidden).map(row => row.getAttribute('data-status'))"
    )
    assert visible and set(visible) == {"failed"}
    assert "2 of 6" in browser.find_element("id", "leaderboard-count").text


def test_the_page_requests_nothing_from_the_network(browser, tmp_path) -> None:
    open_report(browser, tmp_path, "classification")
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('[src], [href]'), element => "
        "element.getAttribute('src') || element.getAttribute('href'))"
    )
    assert [link for link in links if link.lower().startswith(("http:", "https:", "//"))] == []
    requested = [
        message["params"]["request"]["url"]
        for message in (json.loads(e["message"])["message"] for e in browser.get_log("performance"))
        if message["method"] == "Network.requestWillBeSent"
    ]
    assert requested and all(url.startswith(("file:", "data:", "blob:")) for url in requested)
    assert browser.execute_script("return document.querySelector('.modebar-btn--logo')") is None


def test_strings_from_the_data_render_as_text(browser, tmp_path) -> None:
    open_report(browser, tmp_path, "hostile")
    assert browser.execute_script("return window.__dialogs") == []
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    text = browser.find_element("tag name", "body").text
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('#section-test-set .xtick text'), "
        "t => t.textContent)"
    )
    assert "<script>alert(1)</script>" in labels
