"""The repository's own gates (Odoo-free): commit subjects, function lengths."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_commit_subjects_follow_oca():
    check = load("check_commit_msg")
    assert check.problems("[FIX] delivery_sevensenders: labels of two parcels") == []
    assert check.problems("[IMP] tools: a summary\n\nThe body.") == []
    long = "[IMP] delivery_sevensenders: " + "x" * 60
    assert any("at most 72" in p for p in check.problems(long))
    assert check.problems("fix the labels")
    assert check.problems("[IMP] tools: summary\nno blank line")


def test_function_length_gate(tmp_path, capsys):
    lengths = load("function_lengths")
    path = tmp_path / "m.py"
    path.write_text(
        "def short():\n    return 1\n\n\ndef long():\n" + "    x = 1\n" * 70
    )
    assert sorted(n for n, _name, _line in lengths.functions(path)) == [2, 71]
    # the product as it is: the gate holds and names its longest function
    assert lengths.main(["--top", "1"]) == 0
    assert "over 60: 0" in capsys.readouterr().out
