"""The German translation is complete and the template is not stale (Odoo-free).

The template (``i18n/delivery_sevensenders.pot``) is exported by Odoo; this test
checks what can be checked without Odoo: every string the Python code passes to
``_()`` / ``env._()`` is in the template, and ``de.po`` translates every entry of
the template.
"""

import ast
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "delivery_sevensenders"


def po_entries(path):
    """``{msgid: msgstr}`` of a .po/.pot file (the subset of the format Odoo writes)."""
    entries, key, current = {}, None, {"msgid": [], "msgstr": []}

    def flush():
        msgid = "".join(current["msgid"])
        if msgid:
            entries[msgid] = "".join(current["msgstr"])

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            flush()
            current = {"msgid": [], "msgstr": []}
            key = "msgid"
            line = line[6:]
        elif line.startswith("msgstr "):
            key = "msgstr"
            line = line[7:]
        elif not line.startswith('"'):
            continue
        current[key].append(ast.literal_eval(line))
    flush()
    return entries


def code_strings():
    """The literal first arguments of ``_()`` and ``env._()`` in the addon's code."""
    found = {}
    for path in ADDON.rglob("*.py"):
        if "tests" in path.parts or "sevensenders" in path.relative_to(ADDON).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            first = node.args[0]
            if (
                name == "_"
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found[first.value] = f"{path.relative_to(ADDON)}:{node.lineno}"
    return found


def test_every_code_string_is_in_the_template():
    template = po_entries(ADDON / "i18n" / "delivery_sevensenders.pot")
    missing = {s: where for s, where in code_strings().items() if s not in template}
    assert code_strings(), "no translatable string found: the scan proves nothing"
    assert not missing, f"stale .pot (export it again with Odoo): {missing}"


def test_german_translates_every_entry():
    template = po_entries(ADDON / "i18n" / "delivery_sevensenders.pot")
    german = po_entries(ADDON / "i18n" / "de.po")
    assert len(template) > 300
    untranslated = sorted(m for m in template if not german.get(m))
    assert not untranslated, f"de.po misses {len(untranslated)}: {untranslated[:10]}"
    placeholders = re.compile(r"%\(\w+\)s")
    wrong = sorted(
        m
        for m in template
        if sorted(placeholders.findall(m)) != sorted(placeholders.findall(german[m]))
    )
    assert not wrong, f"placeholders differ in de.po: {wrong[:5]}"
