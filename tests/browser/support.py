"""What every browser test checks on every page: axe-core finds nothing serious, nothing fails to load,
nothing leaves the machine, and (on a phone) nothing is wider than the screen."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from playwright.sync_api import Locator, Page, Request, Response, expect

from cecto.demo.nc_cecto import DEMO_PASSWORD, DemoResult

# The same file as AXE in the root conftest.py (node_modules/ next to manage.py; `npm ci` installs it).
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
DEMO_TODAY = datetime.date(2026, 11, 22)
CURRENT_CLASS = "cecto-2026"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@dataclass
class _Watch:
    """What one page did since the test opened it."""

    origin: str
    unchecked: str | None = None  # the loaded document axe has not looked at yet
    missed: list[str] = field(default_factory=list)  # documents that were left without an axe check
    problems: list[str] = field(default_factory=list)


_WATCHES: WeakKeyDictionary[Page, _Watch] = WeakKeyDictionary()


def watch(page: Page, *, origin: str) -> Page:
    """Record every document the page loads and every request it makes, for the checks below;
    block any request that would leave the live server."""
    state = _WATCHES[page] = _Watch(origin=origin.rstrip("/"))

    def on_load(loaded: Page) -> None:
        if state.unchecked is not None:
            state.missed.append(state.unchecked)
        state.unchecked = loaded.url

    def outside(url: str) -> bool:
        return not (url.startswith((f"{state.origin}/", "data:", "about:", "blob:")) or url == state.origin)

    def on_request(request: Request) -> None:
        if outside(request.url):
            state.problems.append(f"request outside the live server: {request.method} {request.url}")

    def on_response(response: Response) -> None:
        # A page may be a 404 on purpose; what it pulls in (CSS, scripts, images) may not.
        if response.status >= 400 and response.request.resource_type != "document":
            state.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def on_request_failed(request: Request) -> None:
        state.problems.append(f"request failed ({request.failure}): {request.url}")

    page.route(outside, lambda route: route.abort("blockedbyclient"))  # tests never touch the network
    page.on("load", on_load)
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda error: state.problems.append(f"script error: {error}"))
    return page


def pages_left_unchecked(page: Page) -> list[str]:
    """The documents this page loaded that no assert_accessible() call looked at."""
    state = _WATCHES.get(page)
    if state is None:
        return []
    return [*state.missed, *([state.unchecked] if state.unchecked else [])]


def _targets(node: dict[str, Any]) -> str:
    return " ".join(part if isinstance(part, str) else json.dumps(part) for part in node["target"])


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (axe-core is a dev dependency in package.json)"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run()")
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    state = _WATCHES.get(page)
    if state is not None:
        state.unchecked = None
    messages = []
    if blocking:
        messages.append(f"axe-core found {len(blocking)} serious or critical violation(s) on {page.url}:")
        for violation in blocking:
            nodes = violation["nodes"]
            targets = "; ".join(_targets(node) for node in nodes[:3])
            more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
            messages.append(
                f"  - {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{len(nodes)} element(s): {targets}{more}]"
            )
    if state is not None and state.problems:
        messages.append(f"Loading {page.url} went wrong:")
        messages.extend(f"  - {problem}" for problem in state.problems)
        state.problems.clear()
    if messages:
        pytest.fail("\n".join(messages), pytrace=False)


_OVERFLOW_SCRIPT = """screen => {
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + (element.classList.length ? "." + [...element.classList].join(".") : "");
  const offenders = [...document.body.querySelectorAll("*")]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.right > screen + 0.5 && !clipped(element);
    })
    .slice(0, 5)
    .map((element) => {
      const right = Math.round(element.getBoundingClientRect().right);
      return `${describe(element)} (right edge at ${right}px)`;
    });
  return {
    innerWidth: window.innerWidth,
    documentWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    offenders,
  };
}"""


def assert_fits_viewport(page: Page) -> None:
    """Nothing makes the document scroll sideways or the phone zoom out (wide tables scroll inside
    their own box): document.documentElement.scrollWidth <= window.innerWidth == the screen width."""
    viewport = page.viewport_size
    assert viewport is not None, "the page has no fixed viewport to check against"
    screen = viewport["width"]
    layout = page.evaluate(_OVERFLOW_SCRIPT, screen)
    message = (
        f"{page.url} does not fit a {screen}px-wide screen: window.innerWidth is {layout['innerWidth']}px, "
        f"the document {layout['documentWidth']}px and the body {layout['bodyWidth']}px wide; "
        f"elements past the edge: {layout['offenders']}"
    )
    assert layout["innerWidth"] == screen, message  # a mobile browser zooms out to fit what overflows
    assert layout["documentWidth"] <= layout["innerWidth"], message
    assert layout["bodyWidth"] <= layout["innerWidth"], message


_TABLE_SCRIPT = """table => {
  // Lay the table out on a grid (colspan and rowspan expanded), as a screen reader does.
  const grid = [];
  [...table.rows].forEach((row, r) => {
    grid[r] = grid[r] || [];
    let c = 0;
    for (const cell of row.cells) {
      while (grid[r][c] !== undefined) c++;
      for (let dr = 0; dr < cell.rowSpan; dr++) {
        for (let dc = 0; dc < cell.colSpan; dc++) {
          grid[r + dr] = grid[r + dr] || [];
          grid[r + dr][c + dc] = cell;
        }
      }
      c += cell.colSpan;
    }
  });
  const headRows = table.tHead ? table.tHead.rows.length : 0;
  const width = Math.max(...grid.map(row => row.length));
  const text = cell => (cell ? cell.innerText.replace(/\\s+/g, " ").trim() : "");
  const columns = [];
  for (let c = 0; c < width; c++) {
    const parts = [];
    for (let r = 0; r < headRows; r++) {
      const part = text(grid[r][c]);
      if (part && parts[parts.length - 1] !== part) parts.push(part);
    }
    columns.push(parts.join(": "));
  }
  const rows = grid.slice(headRows).map(row => [...Array(width).keys()].map(c => text(row[c])));
  return {columns, rows};
}"""


def read_table(table: Locator) -> tuple[list[str], list[list[str]]]:
    """A table's column labels and body rows, as text. A column under stacked headers is labelled
    with all of them, lower-cased and joined by ": " ("CeCTO candidate" over "Completed" is
    "cecto candidate: completed")."""
    result = table.evaluate(_TABLE_SCRIPT)
    return [label.lower() for label in result["columns"]], result["rows"]


@dataclass(frozen=True)
class Site:
    """The live server, with the demo programme loaded."""

    url: str
    demo: DemoResult

    def at(self, path: str) -> str:
        return f"{self.url}{path}"


def log_in(page: Page, site: Site, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form, as a person would, and land on the home page."""
    page.goto(site.at("/accounts/login/"))
    assert_accessible(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site.at("/"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page)
