"""The import rule, read from the source with `ast` (README, "Architecture").

Every module of the project is parsed and each `import` / `from ... import` in it, at module level,
in a function or under `if TYPE_CHECKING:`, is an edge to the project module it names. Then:

- no import cycle between modules, whatever the app (a function-level import breaks a cycle at run
  time, not in the design, so it counts);
- no module of roles, accounts, assessments, plans or reminders imports hr or api. Their tests and
  migrations count too: an app below hr is tested, and migrated, without it.

A failure names the chain: each module with the line of the import that leads to the next.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# Directories that hold no project module.
NOT_SOURCE = {".venv", ".git", "node_modules", "static", "templates", "docs", "__pycache__"}
LOWER_APPS = ("roles", "accounts", "assessments", "plans", "reminders", "scim")
TOP_APP = "hr"
TOP_APPS = (TOP_APP, "api")  # the REST API sits on top too: it reads through the apps below and hr


@dataclass(frozen=True)
class Import:
    target: str
    line: int


def project_modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package's __init__) of every .py file under `root`."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if NOT_SOURCE & set(relative.parts):
            continue
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        if parts:
            modules[".".join(parts)] = (path, is_package)
    return modules


def import_graph(root: Path) -> dict[str, list[Import]]:
    """Each project module's imports of other project modules (third-party and stdlib left out)."""
    modules = project_modules(root)
    graph: dict[str, list[Import]] = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        found: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # `from a import b` imports the module a.b when there is one, else a name from a.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in modules:  # `import a.b.c` of a name inside a module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.setdefault(target, node.lineno)
        graph[name] = [Import(target, line) for target, line in sorted(found.items())]
    return graph


def cycles(graph: dict[str, list[Import]]) -> list[list[str]]:
    """One cycle (a closed chain of modules) per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for edge in graph.get(module, []):
            if edge.target not in index:
                visit(edge.target)
                low[module] = min(low[module], low[edge.target])
            elif edge.target in on_stack:
                low[module] = min(low[module], index[edge.target])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_chain_within(group, graph) for group in groups]


def _chain_within(group: set[str], graph: dict[str, list[Import]]) -> list[str]:
    """A shortest chain from the group's first module back to itself, through the group only."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for edge in graph[module]:
            if edge.target == start:
                return [*paths[module], start]
            if edge.target in group and edge.target not in paths:
                paths[edge.target] = [*paths[module], edge.target]
                queue.append(edge.target)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def describe(chain: list[str], graph: dict[str, list[Import]]) -> str:
    """'a (line 3) -> b (line 9) -> a': each step with the line of the import that makes it."""
    lines = {(module, edge.target): edge.line for module in chain for edge in graph[module]}
    steps = [f"{module} (line {lines[(module, chain[i + 1])]})" for i, module in enumerate(chain[:-1])]
    return " -> ".join([*steps, chain[-1]])


def upward_imports(graph: dict[str, list[Import]]) -> list[str]:
    return [
        f"{module} (line {edge.line}) -> {edge.target}"
        for module, edges in sorted(graph.items())
        if module.split(".")[0] in LOWER_APPS
        for edge in edges
        if edge.target.split(".")[0] in TOP_APPS
    ]


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


def test_the_walk_reads_every_app_including_function_level_imports(graph):
    for app in (*LOWER_APPS, TOP_APP, "careerpath"):
        assert f"{app}.models" in graph or f"{app}.settings" in graph or f"{app}.urls" in graph
    # hr/receivers.py imports hr.models at module level; hr/apps.py imports its receivers inside ready().
    assert "hr.models" in {edge.target for edge in graph["hr.receivers"]}
    assert "hr.receivers" in {edge.target for edge in graph["hr.apps"]}


# Cycles known and not yet undone, each with who undoes it. Only the exact set is accepted: a new cycle
# fails, and so does one listed here that is gone (then delete its line).
KNOWN_CYCLES: set[tuple[str, ...]] = set()  # cycles allowed for now, each with how to undo it


def test_no_module_imports_another_that_imports_it_back(graph):
    found = {tuple(chain) for chain in cycles(graph)}
    new = [describe(list(chain), graph) for chain in sorted(found - KNOWN_CYCLES)]
    assert new == [], "Import cycles:\n" + "\n".join(new)
    assert found >= KNOWN_CYCLES, f"No longer a cycle, delete it from KNOWN_CYCLES: {KNOWN_CYCLES - found}"


def test_no_app_below_hr_imports_hr(graph):
    found = upward_imports(graph)
    assert found == [], f"Modules of {', '.join(LOWER_APPS)} importing {' or '.join(TOP_APPS)}:\n" + "\n".join(found)


# --- The checks themselves fail when they should ----------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_cycle_through_a_function_level_import_is_found_with_its_chain(tmp_path):
    root = write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/services.py": "from . import selectors\n",
            "shop/selectors.py": "import os\n\n\ndef total():\n    from shop.tasks import run\n",
            "shop/tasks.py": "\n\nfrom .services import *\n",
            "shop/views.py": "from shop import services\n",
        },
    )
    graph = import_graph(root)

    assert [describe(chain, graph) for chain in cycles(graph)] == [
        "shop.selectors (line 5) -> shop.tasks (line 3) -> shop.services (line 1) -> shop.selectors"
    ]


def test_a_lower_apps_import_of_hr_is_found_in_its_tests_too(tmp_path):
    root = write(
        tmp_path,
        {
            "hr/__init__.py": "",
            "hr/selectors.py": "from plans.models import Plan\n",
            "plans/__init__.py": "",
            "plans/models.py": "",
            "plans/tests/__init__.py": "",
            "plans/tests/test_views.py": "import pytest\nfrom hr.selectors import people\n",
        },
    )

    assert upward_imports(import_graph(root)) == ["plans.tests.test_views (line 2) -> hr.selectors"]
