"""The floor plan holds (docs/architecture.md): layers import only downwards, nothing imports
in a cycle, each heavy library is imported by the one module that wraps it, and the commands
that only read the store start without loading spaCy, torch, the readers or the web framework."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]

HEAVY = ("spacy", "thinc", "torch", "sentence_transformers", "faiss", "fastapi", "starlette", "uvicorn",
         "trafilatura", "lxml", "feedparser", "warcio", "numpy", "pyarrow", "networkx", "psycopg", "ray")


def test_the_import_contracts_in_pyproject_are_kept(monkeypatch):
    monkeypatch.chdir(REPO)
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_through_others():
    """Stricter than the package-level contract: a package's __init__ and its own modules, too."""
    assert _cycles(grimp.build_graph("storyline", cache_dir=None)) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    pkg = tmp_path / "loopy"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from loopy import b\n")
    (pkg / "b.py").write_text("from loopy import c\n")
    (pkg / "c.py").write_text("import loopy.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("loopy", cache_dir=None)) == [["loopy.a", "loopy.b", "loopy.c"]]


def _loaded_after(argv: list[str], tmp_path: Path) -> list[str]:
    """The heavy libraries loaded by running ``storyline ARGV`` in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from storyline.cli import main\n"
        f"sys.argv = ['storyline'] + {argv!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path, env=os.environ | {"STORYLINE_DB": str(tmp_path / "s.db")})
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [["--help"], ["articles"], ["articles", "--json"], ["quotes", "--json"],
                                  ["stories", "--no-update", "--json"], ["links"], ["ingest", "--help"],
                                  ["run", "--help"], ["corrections", "--json"], ["correct", "--help"]])
def test_help_and_listings_load_no_heavy_library(argv, tmp_path):
    assert _loaded_after(argv, tmp_path) == []
