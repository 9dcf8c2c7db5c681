"""How the Odoo tests get their sandbox (``delivery_sevensenders/tests/
sandbox_runner.py``, which imports no Odoo): without the sandbox package in
Odoo's Python, each test class fails with the hint saying what to install."""

import importlib.util
import sys
from pathlib import Path

import pytest

RUNNER = (
    Path(__file__).resolve().parent.parent
    / "delivery_sevensenders"
    / "tests"
    / "sandbox_runner.py"
)


def load_runner(monkeypatch, package=True):
    """The runner as Odoo's Python imports it; without ``package``, as where
    the sandbox package is not installed."""
    if not package:
        monkeypatch.setitem(sys.modules, "sevensenders_sandbox.control", None)
    spec = importlib.util.spec_from_file_location("sevensenders_runner", RUNNER)
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    return runner


def test_without_the_package_a_class_fails_with_the_install_hint(monkeypatch):
    runner = load_runner(monkeypatch, package=False)
    monkeypatch.delenv("SEVENSENDERS_SANDBOX_URL", raising=False)
    # a Python that could run the sandbox: the control client is still missing
    monkeypatch.setenv("SEVENSENDERS_SANDBOX_PYTHON", sys.executable)
    with pytest.raises(RuntimeError) as raised:
        runner.start_sandbox()
    assert str(raised.value) == runner.INSTALL_HINT
    assert "pip install -r test-requirements.txt" in runner.INSTALL_HINT
    with pytest.raises(RuntimeError, match="install it into Odoo's Python"):
        runner.SandboxProcess("--paths", "seed")
    monkeypatch.setenv("SEVENSENDERS_SANDBOX_URL", "http://127.0.0.1:9")
    with pytest.raises(RuntimeError, match="install it into Odoo's Python"):
        runner.start_sandbox()


def test_with_the_package_the_sandbox_starts_and_answers(monkeypatch):
    runner = load_runner(monkeypatch)
    monkeypatch.delenv("SEVENSENDERS_SANDBOX_URL", raising=False)
    monkeypatch.setenv("SEVENSENDERS_SANDBOX_PYTHON", sys.executable)
    sandbox = runner.start_sandbox()
    try:
        assert sandbox.base_url == f"{sandbox.url}/v2"
        assert sandbox.objects("order") == []
    finally:
        sandbox.stop()
    assert sandbox.proc.poll() is not None
