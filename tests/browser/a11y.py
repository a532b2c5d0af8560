"""Run axe-core in the page and return its serious and critical violations."""

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical axe-core violations on the current page (WCAG 2.1 A/AA and best practices).

    Only violations are asked for: axe then skips listing every passing node, which is most of its time.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}, resultTypes: ['violations']})"
    )
    return [v for v in results["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} nodes, e.g. {targets})")
    return "\n".join(lines)
