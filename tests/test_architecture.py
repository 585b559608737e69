"""ARCHITECTURE.md is the map of the code: every module, class and function it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
SOURCE = ROOT / "src" / "career_ladder"


def defined_names() -> set[str]:
    """Every module, class, function, method and module-level name of the package, and every word of
    its source (a table or column SQL names, a key of a record)."""
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE)
        text = path.read_text(encoding="utf-8")
        names |= {relative.as_posix(), path.name, path.stem, *re.findall(r"\w+", text)}
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
    return names


# What code looks like in the map: `catalog.py`, `render/output.py`, `Catalog.load`, `follow_share`,
# `_warn_twins`. Library names (`os.fsencode`), exceptions, constants, files of the data are not ours.
_CODE = re.compile(r"`([A-Za-z_][\w/]*(?:\.[A-Za-z_]\w*)*)(?:\(\))?`")
_NOT_OURS = re.compile(
    r"^(os|sys|str|yaml|sqlite3|multiprocessing|json|typing|pydantic)\.|Error$|^[A-Z0-9_]+$|^(tests|src|data|schema)/"
)


def named_in_the_map() -> set[str]:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    found = set()
    for name in _CODE.findall(text):
        if _NOT_OURS.search(name) or name.endswith((".yaml", ".yml", ".json", ".sqlite3")):
            continue
        if name.endswith(".py") or "_" in name or "." in name or re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", name):
            found.add(name)
    return found


def defined_symbols() -> set[str]:
    """Every name the package defines at module or class level: modules, classes, functions,
    methods, constants, fields and `self.` attributes (what a dotted name's last part must be; a
    word in a comment or a local variable is not one)."""

    def targets(statement: ast.stmt) -> list[ast.expr]:
        if isinstance(statement, ast.Assign):
            return statement.targets
        return [statement.target] if isinstance(statement, ast.AnnAssign) else []

    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        names.add(path.stem)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bodies = [tree.body, *(node.body for node in ast.walk(tree) if isinstance(node, ast.ClassDef))]
        for statement in (statement for body in bodies for statement in body):
            names |= {target.id for target in targets(statement) if isinstance(target, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names


def test_every_module_class_and_function_the_map_names_exists() -> None:
    known, symbols = defined_names(), defined_symbols()
    missing = sorted(
        name
        for name in named_in_the_map()
        if not all(part in known for part in re.split(r"\.(?!py$)", name))
        or ("." in name and not name.endswith(".py") and name.rsplit(".", 1)[1] not in symbols)
    )
    assert missing == []


QUESTIONS = {"queries", "moves", "knowledge", "search", "diff", "validation", "catalog", "overview", "init"}


def test_no_renderer_imports_a_question_module() -> None:
    """What passes from a question to its renderer is a `results` type; a renderer that reached into a
    question module could start asking questions itself. Imports inside functions count."""
    reached = []
    for path in sorted((SOURCE / "render").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) and node.module else ""
            if module.startswith("career_ladder.") and module.split(".")[1] in QUESTIONS:
                reached.append(f"{path.name}: {module}")
    assert reached == []


def imports_of_each_module() -> dict[str, set[str]]:
    """The package's modules each module imports, inside functions too; what it imports only for
    the type checker (`if TYPE_CHECKING:`) does not run, so it is left out."""
    modules = {
        ".".join(("career_ladder", *path.relative_to(SOURCE).with_suffix("").parts)).removesuffix(".__init__"): path
        for path in SOURCE.rglob("*.py")
    }
    found: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        checking_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        names: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in checking_only:
                continue
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        found[module] = {name for name in names if name in modules and name != module}
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = imports_of_each_module()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            module = todo.pop()
            if module == goal:
                return True
            if module not in seen:
                seen.add(module)
                todo += graph[module]
        return False

    # A package imports what it declares; its modules importing a name of it is not a cycle of code.
    packages = {"career_ladder", "career_ladder.results", "career_ladder.render"}
    cycles = sorted(
        (module, imported)
        for module, imports in graph.items()
        for imported in imports
        if imported not in packages and module not in packages and reaches(imported, module)
    )
    assert cycles == []


def test_no_module_is_over_500_lines() -> None:
    """A module that grows past this has two jobs: split it where they part."""
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "src").rglob("*.py")
    }
    assert {name: lines for name, lines in sizes.items() if lines > 500} == {}
