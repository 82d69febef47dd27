"""Fixtures for the browser tests: the NC demo in the test database, a live server, watched pages.

The browser itself (Debian's chromium) is configured by the root conftest.py; pytest-playwright keeps
one browser per session (per xdist worker) and gives each test a fresh context.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from cecto.demo.nc_cecto import load_demo
from tests.browser.support import CURRENT_CLASS, DEMO_TODAY, PHONE, Site, pages_left_unchecked, watch


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """Replaces pytest-playwright 0.10's fallback base_url fixture (used when pytest-base-url is not
    installed): it is an instance method, which pytest 9 deprecates with a PytestRemovedIn10Warning,
    an error under filterwarnings=error. Same behaviour: --base-url, else the base_url ini value."""
    return pytestconfig.getoption("--base-url", default=None) or pytestconfig.getini("base_url") or None


@pytest.fixture
def site(live_server: Any, transactional_db: None) -> Site:
    # transactional_db, not db: the live server answers from another thread, which must see the rows.
    demo = load_demo(today=DEMO_TODAY)
    assert demo.current_cohort_slug == CURRENT_CLASS
    return Site(url=live_server.url, demo=demo)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


def _assert_all_checked(request: pytest.FixtureRequest, pages: list[Page]) -> None:
    if request.node.stash.get(_CALL_FAILED, True):
        return  # the test failed (or never ran) already: do not bury its message
    unchecked = [url for page in pages for url in pages_left_unchecked(page)]
    assert not unchecked, f"pages opened without assert_accessible(page): {unchecked}"


@pytest.fixture
def page(page: Page, site: Site, request: pytest.FixtureRequest) -> Generator[Page, None, None]:
    """pytest-playwright's page, watched: the test fails if it opens a page axe never checks."""
    watched = watch(page, origin=site.url)
    yield watched
    _assert_all_checked(request, [watched])


@pytest.fixture
def phone(
    new_context: Callable[..., BrowserContext], site: Site, request: pytest.FixtureRequest
) -> Generator[Callable[[Page | None], Page], None, None]:
    """open_phone(signed_in_page) → a page on a 390x844 phone, logged in as the given page is."""
    pages: list[Page] = []

    def open_phone(signed_in: Page | None = None) -> Page:
        state = signed_in.context.storage_state() if signed_in is not None else None
        context = new_context(**PHONE, storage_state=state)
        pages.append(watch(context.new_page(), origin=site.url))
        return pages[-1]

    yield open_phone
    _assert_all_checked(request, pages)
