"""Build each addon's README.rst (apps list, OCA tooling) from its readme/ fragments.

The fragments are plain Markdown (paragraphs, lists, **bold**, *italic*, `code`);
only inline code needs translating to reStructuredText. Run: python tools/gen_readme.py
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
]
BADGES = """|badge1| |badge2|

.. |badge1| image:: https://img.shields.io/badge/maturity-Alpha-red.png
    :target: https://odoo-community.org/page/development-status
    :alt: Alpha
.. |badge2| image:: https://img.shields.io/badge/licence-AGPL--3-blue.png
    :target: http://www.gnu.org/licenses/agpl-3.0-standalone.html
    :alt: License: AGPL-3
"""


def _indent(line):
    return len(line) - len(line.lstrip())


def _cells(line):
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    # a cell of punctuation alone ("#") would read as a section title's line
    return [f"\\{c}" if c and not any(ch.isalnum() for ch in c) else c for c in cells]


def tables(lines):
    """Markdown pipe tables (a header, a ``|---|`` line, rows) as
    reStructuredText list tables; other lines as they are."""
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not (line.startswith("|") and re.match(r"^\|[\s:|-]+\|$", following)):
            out.append(line)
            index += 1
            continue
        rows = [_cells(line)]
        index += 2
        while index < len(lines) and lines[index].startswith("|"):
            rows.append(_cells(lines[index]))
            index += 1
        if out and out[-1].strip():
            out.append("")
        out += [".. list-table::", "   :header-rows: 1", ""]
        for row in rows:
            out += [
                f"   {'*' if number == 0 else ' '} - {cell or '..'}"
                for number, cell in enumerate(row)
            ]
        if index < len(lines) and lines[index].strip():
            out.append("")
    return out


def to_rst(markdown):
    """Inline code, pipe tables, and the blank lines reStructuredText wants
    before a list and around a list nested in another list item."""
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", markdown.strip())
    out = []
    for line in text.splitlines():
        item = re.match(r"^\s*(- |\d+\. )", line)
        if out and out[-1].strip() and line.strip():
            prev = out[-1]
            prev_item = re.match(r"^\s*(- |\d+\. )", prev)
            if item and not prev_item and _indent(line) == _indent(prev) == 0:
                out.append("")  # a list after a paragraph
            elif (
                item
                and _indent(line) > _indent(prev)
                and not (prev_item and _indent(prev) == _indent(line))
            ):
                out.append("")  # a nested list starts
            elif item and _indent(line) < _indent(prev) and not prev_item:
                out.append("")  # back out of a nested list
            elif item and prev_item and _indent(line) < _indent(prev):
                out.append("")
        out.append(line)
    return "\n".join(tables(out))


def title(text, char):
    line = char * len(text)
    return f"{line}\n{text}\n{line}\n" if char == "=" and text else f"{text}\n{line}\n"


def build(addon):
    manifest = eval((addon / "__manifest__.py").read_text())  # noqa: S307 - our file
    readme = addon / "readme"
    parts = [
        title(manifest["name"], "="),
        "..\n   Generated from the fragments in ``readme/`` by tools/gen_readme.py.\n",
        BADGES,
    ]
    for name, heading in SECTIONS:
        fragment = readme / name
        if not fragment.exists():
            continue
        if heading:
            parts.append(title(heading, "="))
        parts.append(to_rst(fragment.read_text()) + "\n")
        if name == "DESCRIPTION.md":
            parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    parts.append(title("Credits", "="))
    parts.append(title("Contributors", "~"))
    contributors = readme / "CONTRIBUTORS.md"
    parts.append(
        to_rst(contributors.read_text())
        if contributors.exists()
        else "- delivery_sevensenders contributors"
    )
    return "\n".join(parts).rstrip() + "\n"


def main():
    stale = []
    check = "--check" in sys.argv
    for addon in sorted(ROOT.glob("delivery_sevensenders*/")):
        if not (addon / "readme").is_dir():
            continue
        text = build(addon)
        target = addon / "README.rst"
        if target.exists() and target.read_text() == text:
            continue
        stale.append(target)
        if not check:
            target.write_text(text)
    if check and stale:
        print("stale:", *stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
