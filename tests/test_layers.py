"""The apps depend on each other one way only:

    echo ← members ← groups ← events, boards ← growth ← demo

An app imports only the apps below it (events and boards not each other),
not even inside a function. What a lower page shows of a higher app comes
through `echo.panels`, and what a lower change means above it through
signals (`members.signals`, `groups.signals`).
"""

import ast
from pathlib import Path

LAYERS = {"echo": 0, "members": 1, "groups": 2, "events": 3, "boards": 3, "growth": 4, "demo": 5}
ROOT = Path(__file__).resolve().parent.parent


def imported_apps(path):
    """(line, app) for every import of one of our apps in a module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield node.lineno, top


def test_no_app_imports_an_app_above_it_or_beside_it():
    wrong = []
    for app, level in LAYERS.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, other in imported_apps(path):
                if other != app and LAYERS[other] >= level:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {other}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from boards.models import Post\n")

    assert list(imported_apps(module)) == [(2, "boards")]
