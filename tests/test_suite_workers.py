"""The suite's own plumbing: `make test` runs it in pytest-xdist workers (Makefile
PYTEST_WORKERS), and a worker sends each test's report to the controller as UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("xdist")

TESTS = Path(__file__).resolve().parent


def test_a_report_with_lone_surrogates_crosses_from_a_worker(tmp_path):
    """The fuzz tests feed readers text with lone surrogates, which shows up in captured output
    and logs; without conftest's escape the worker died with an internal error and the tests
    after it on that worker never ran (1,650 of 1,771 reported, once in four runs)."""
    test = tmp_path / "test_surrogates.py"
    test.write_text(
        "import logging, sys\n"
        "def test_output():\n"
        "    print('out \\ud800')\n"
        "    sys.stderr.write('err \\udcff\\n')\n"
        "    logging.getLogger('x').warning('log \\ud800')\n"
        "def test_after():\n"
        "    assert True\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "conftest", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", os.devnull, str(test)],
        capture_output=True, text=True, errors="replace", cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "2 passed" in done.stdout and "INTERNALERROR" not in done.stdout + done.stderr
