"""The offline report in a real browser: Debian's headless Chromium, driven through chromedriver, opens
the file with the network off; any console error, failed load or missing section fails the test, in
Dutch and French. A full-page screenshot of each is kept in out/browser/ as the test's artifact."""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.i18n import label, sentence

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
ARTIFACTS = ROOT / "out" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# the sections every report of a run with reviews and a robustness analysis has, by their ids
SECTIONS = ("pairs", "open", "reserves", "candidates", "agreement", "robustness")

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')"
)
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and Path(DRIVER).exists()),
    reason="headless Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's report from the robustness analysis, in Dutch and French."""
    folder = tmp_path_factory.mktemp("browser")
    for name in ("candidacies.xlsx", "partners.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    shutil.copytree(SAMPLE / "reviews", folder / "reviews")
    common = [str(folder / "candidacies.xlsx"), "--partners", str(folder / "partners.csv")]
    common += ["--reviews", str(folder / "reviews"), "--samples", "20"]
    out = {}
    for lang in ("nl", "fr"):
        out[lang] = folder / f"report-{lang}.html"
        result = CliRunner().invoke(main, ["robustness", *common, "--report", str(out[lang]), "--lang", lang])
        assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        # no network at all: every host unresolvable, every request to a proxy that is not there
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, path: Path) -> list[str]:
    """Load `path` and return every console message at warning level or worse (errors, failed loads)."""
    driver.get_log("browser")  # what an earlier page left
    driver.get(path.as_uri())
    driver.execute_script("return document.readyState")
    return [
        f"{e['level']}: {e['message']}"
        for e in driver.get_log("browser")
        if e["level"] in ("SEVERE", "WARNING")
    ]


def screenshot(driver: Any, out: Path) -> Path:
    """The whole page, beyond the window, as a PNG."""
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(base64.b64decode(shot["data"]))
    return out


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_report_renders_offline_without_console_errors(
    browser: Any, reports: dict[str, Path], lang: str
) -> None:
    from selenium.webdriver.common.by import By

    path = reports[lang]
    size = path.stat().st_size
    assert size < 200_000, f"{path} is {size} bytes"
    print(f"report {lang}: {size} bytes")
    errors = open_page(browser, path)
    shot = screenshot(browser, ARTIFACTS / f"report-{lang}.png")
    assert errors == [], errors
    assert browser.execute_script("return document.documentElement.lang") == lang
    for section in SECTIONS:
        heading = browser.find_element(By.ID, f"report-{section}")
        assert heading.is_displayed(), section
        assert heading.text == sentence(f"report_{section}", lang)
    # the solver's status in words of the page's language, not the result's English key
    meta = browser.find_element(By.CSS_SELECTOR, "p.meta").text
    assert f"({label('optimal', lang)}," in meta, meta
    # every column header is a label, not a key of the catalogue or the result
    heads = [th.text for th in browser.find_elements(By.TAG_NAME, "th")]
    assert heads and not [h for h in heads if re.fullmatch(r"[a-z_]+", h)], heads
    # the triangle: one region per pairing the analysis found, each with its weights and share on hover
    regions = browser.find_elements(By.CSS_SELECTOR, "svg polygon title")
    assert regions
    tip = regions[0].get_attribute("textContent")
    assert "%" in tip and re.search(r"\d+[,.]\d", tip), tip
    assert shot.stat().st_size > 10_000


def test_the_check_fails_on_a_console_error_and_on_a_fetch(
    browser: Any, reports: dict[str, Path], tmp_path: Path
) -> None:
    """The oracle itself: a report that logs an error, or reaches for the network, is caught."""
    text = reports["nl"].read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(
        text.replace("</body>", "<script>console.error('kapot')</script></body>"), encoding="utf-8"
    )
    assert any("kapot" in e for e in open_page(browser, broken))
    fetching = tmp_path / "fetching.html"
    fetching.write_text(
        text.replace("</body>", '<img src="https://example.org/logo.png" alt=""></body>'), encoding="utf-8"
    )
    assert any("example.org" in e for e in open_page(browser, fetching))
