"""The web page in a real browser: Debian's Chromium driven by Playwright (tests/browser.py).
A citation clicked scrolls its paragraph into view and lights the cited words; the dossier
opens; nothing scrolls sideways on a phone or a desk; a hostile briefing runs no script and
fetches nothing; the page works with JavaScript off; axe-core finds no serious or critical
accessibility violation.

Without Chromium or Playwright these tests are skipped and say why; `.ci/run` installs both
and sets BRIEFER_BROWSER_TESTS=required, which turns a missing browser into a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import AXE, chromium, missing, tab
from .page_pages import digest_page, hostile_page, page

WHY = missing()
if WHY and os.environ.get("BRIEFER_BROWSER_TESTS") != "required":
    pytest.skip(f"no browser: {WHY}", allow_module_level=True)

TARGET = "rgb(255, 210, 63)"  # --target in the light scheme


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every page made before the browser starts (Playwright's sync API holds an event loop
    that a briefing run, which runs its own, cannot share)."""
    made = tmp_path_factory.mktemp("pages")
    for name in ("seed", "meth"):
        page(made, name)
    digest_page(made)
    hostile_page(made)
    return made


@pytest.fixture(scope="module")
def chrome(folder: Path) -> Iterator[Any]:
    assert WHY is None, WHY
    with chromium() as running:
        yield running


@pytest.fixture
def browser(chrome: Any) -> Iterator[dict[str, Any]]:
    """Tabs with JavaScript on, each closed after the test."""
    yield from _tabs(chrome, java_script_enabled=True)


@pytest.fixture
def no_script_browser(chrome: Any) -> Iterator[dict[str, Any]]:
    """Tabs with JavaScript off."""
    yield from _tabs(chrome, java_script_enabled=False)


def _tabs(chrome: Any, **options: Any) -> Iterator[dict[str, Any]]:
    opened: list[Any] = []
    yield {"chrome": chrome, "options": {"reduced_motion": "reduce", **options}, "opened": opened}
    for view in opened:
        view.context.close()


def watched(browser: dict[str, Any], width: int = 1280, height: int = 800, **options: Any
            ) -> tuple[Any, dict[str, list[str]]]:
    """A tab that records dialogs, console errors, page errors and every request."""
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": []}
    view = tab(browser["chrome"], width, height, **{**browser["options"], **options})
    browser["opened"].append(view)
    view.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    view.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    view.on("pageerror", lambda e: seen["errors"].append(str(e)))
    view.on("request", lambda r: seen["requests"].append(r.url))
    return view, seen


def in_view(view: Any, selector: str) -> bool:
    """Whether the element is inside the viewport and inside the scroll box that holds it."""
    return view.eval_on_selector(selector, """e => {
        const r = e.getBoundingClientRect();
        const box = e.closest('.sources').getBoundingClientRect();
        return r.top >= Math.max(0, box.top) - 1 && r.bottom <= Math.min(innerHeight, box.bottom) + 1
            && r.height > 0; }""")


def background(view: Any, selector: str) -> str:
    return view.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")


def click_citation(view: Any, text: str) -> str:
    """Click the first visible citation reading `text`; the id it goes to."""
    link = view.locator(f"a.cite:text-is('{text}') >> visible=true").first
    href = link.get_attribute("href")
    link.click()
    view.wait_for_function(f"location.hash === '{href}'")
    view.wait_for_timeout(150)
    return href[1:]


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_clicked_citation_brings_its_paragraph_into_view_with_the_words_lit(
        browser: Any, no_script_browser: Any, folder: Path, javascript: bool) -> None:
    view, seen = watched(browser if javascript else no_script_browser)
    view.goto(page(folder, "seed").as_uri())
    excerpt = click_citation(view, "¶19")  # a figure near the end of the article
    mark = f"mark[id='{excerpt}']"
    assert in_view(view, mark)
    assert in_view(view, f"div.para:has({mark})")
    assert background(view, mark) == TARGET
    other = view.eval_on_selector(f"mark[data-x]:not([data-x='{excerpt}'])", "e => e.getAttribute('data-x')")
    assert background(view, f"mark[id='{other}']") != TARGET
    # and back: the paragraph's "cited by" link returns to the item
    back = view.locator(f"div.para:has({mark}) p.cited-by a").first
    item = back.get_attribute("href")
    back.click()
    view.wait_for_function(f"location.hash === '{item}'")
    assert view.eval_on_selector(item, "e => e.matches(':target')")
    assert seen["errors"] == [] and seen["dialogs"] == []


def test_every_part_of_an_excerpt_cut_by_another_lights_up(no_script_browser: Any, folder: Path) -> None:
    """Without a script too: each such excerpt has its own `:target` rule."""
    view, _ = watched(no_script_browser)
    view.goto(hostile_page(folder).as_uri())
    split = view.eval_on_selector_all("mark.part", "ms => ms.map(m => m.getAttribute('data-x'))")
    assert split, "the hostile page holds two excerpts that cross"
    view.goto(hostile_page(folder).as_uri() + f"#{split[0]}")
    colours = view.eval_on_selector_all(f"mark[data-x='{split[0]}']",
                                        "ms => ms.map(m => getComputedStyle(m).backgroundColor)")
    assert len(colours) > 1 and set(colours) == {TARGET}


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_dossier_opens_and_a_link_into_it_opens_its_section(
        browser: Any, no_script_browser: Any, folder: Path, javascript: bool) -> None:
    view, _ = watched(browser if javascript else no_script_browser)
    view.goto(page(folder, "seed").as_uri())
    parts = view.locator("details.dossier-part")
    assert parts.count() >= 6
    first = parts.first
    assert not first.evaluate("d => d.open") and not first.locator("li").first.is_visible()
    first.locator("summary").click()
    assert first.evaluate("d => d.open") and first.locator("li").first.is_visible()
    hidden = view.eval_on_selector("details.dossier-part:not([open]) li[id]", "e => e.id")
    view.goto(page(folder, "seed").as_uri() + f"#{hidden}")
    view.wait_for_timeout(200)
    assert view.locator(f"li[id='{hidden}']").is_visible()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", ["seed", "meth", "digest"])
def test_nothing_scrolls_sideways(browser: Any, folder: Path, width: int, name: str) -> None:
    view, _ = watched(browser, width, 800)
    view.goto((digest_page(folder) if name == "digest" else page(folder, name)).as_uri())
    assert view.evaluate("document.documentElement.scrollWidth") <= width
    wider = view.evaluate(f"""[...document.querySelectorAll('body *')].filter(e => {{
        const r = e.getBoundingClientRect(); return r.right > {width} + 1 && r.width > 0; }}).length""")
    assert wider == 0
    stacked = view.evaluate("""(() => { const b = document.querySelector('.brief').getBoundingClientRect(),
        s = document.querySelector('.sources').getBoundingClientRect(); return s.top >= b.bottom; })()""")
    assert stacked == (width < 800)


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_hostile_briefing_runs_nothing_and_fetches_nothing(
        browser: Any, no_script_browser: Any, folder: Path, javascript: bool) -> None:
    view, seen = watched(browser if javascript else no_script_browser)
    address = hostile_page(folder).as_uri()
    view.goto(address)
    for link in view.locator("main a[href^='#'] >> visible=true").all()[:60]:  # every kind of link, and the marks
        link.click()
    view.locator("details.dossier-part summary").first.click()
    for circle in view.locator("svg a").all():
        circle.hover()
    view.locator("mark").first.hover()
    view.wait_for_timeout(300)
    assert seen["dialogs"] == []
    assert seen["errors"] == []
    assert [r for r in seen["requests"] if r.split("#")[0] != address] == []
    assert view.evaluate("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                         ".filter(a => a.name.startsWith('on')).length") == 0
    assert view.evaluate("document.scripts.length") == 1
    assert "alert(1)" in view.inner_text("body")


def test_with_javascript_off_the_page_reads_whole(no_script_browser: Any, folder: Path) -> None:
    view, seen = watched(no_script_browser)
    view.goto(page(folder, "seed").as_uri())
    assert view.evaluate("typeof document.body") == "object"
    for heading in ("Key points", "What is contested", "Timeline", "Source"):
        assert view.get_by_role("heading", name=heading, exact=True).count() >= 1, heading
    assert view.locator("svg a").count() >= 3
    assert "✓ verified" in view.inner_text("details.legend summary")
    assert seen["errors"] == []


def axe_violations(view: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        why = f"axe-core is not installed at {AXE} (the npm step of .ci/run installs it)"
        pytest.fail(why) if os.environ.get("BRIEFER_BROWSER_TESTS") == "required" else pytest.skip(why)
    view.evaluate(AXE.read_text(encoding="utf-8"))
    return view.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))""")


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "dark")])
@pytest.mark.parametrize("name", ["seed", "meth", "digest"])
def test_axe_finds_no_serious_or_critical_violation(browser: Any, folder: Path, name: str, width: int,
                                                    scheme: str) -> None:
    view, _ = watched(browser, width, 800, color_scheme=scheme)
    view.goto((digest_page(folder) if name == "digest" else page(folder, name)).as_uri())
    found = axe_violations(view)
    assert [v for v in found if v["impact"] in ("serious", "critical")] == []


def test_the_keyboard_reaches_the_briefing_and_follows_a_citation(browser: Any, folder: Path) -> None:
    view, seen = watched(browser)
    view.goto(page(folder, "seed").as_uri())
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.className") == "skip"
    assert view.evaluate("getComputedStyle(document.activeElement).top") != "-48px"  # shown when focused
    view.keyboard.press("Enter")
    view.wait_for_function("location.hash === '#main'")
    for _ in range(40):  # on through the links of the briefing to its first citation
        view.keyboard.press("Tab")
        if view.evaluate("document.activeElement.classList.contains('cite')"):
            break
    href = view.evaluate("document.activeElement.getAttribute('href')")
    assert href and href.startswith("#x")
    assert view.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    view.keyboard.press("Enter")
    view.wait_for_function(f"location.hash === '{href}'")
    assert view.evaluate("document.activeElement.id") == href[1:]  # the words take the focus (tabindex -1)
    assert seen["errors"] == []


def test_print_shows_one_column_and_every_dossier_section(browser: Any, folder: Path) -> None:
    view, _ = watched(browser)
    view.goto(page(folder, "seed").as_uri())
    view.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    view.emulate_media(media="print")
    assert view.evaluate("getComputedStyle(document.querySelector('.cols')).display") == "block"
    assert view.evaluate("getComputedStyle(document.querySelector('.sources')).position") == "static"
    assert view.evaluate("getComputedStyle(document.querySelector('.skip')).display") == "none"
    assert view.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
