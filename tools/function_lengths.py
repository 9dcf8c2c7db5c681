"""The longest functions of the product code (AST count), and a gate.

``python tools/function_lengths.py [--max 60] [--top 10]`` lists the longest
functions of the addons, the client, the sandbox and the tools (tests,
migrations and benchmarks aside) and exits 1 when one is longer than ``--max``
lines. Files have no cap: one concern per file is the rule, not a size.
"""

import argparse
import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PRODUCT = (
    "delivery_sevensenders",
    "delivery_sevensenders_batch",
    "delivery_sevensenders_mrp",
    "sevensenders_sandbox",
    "tools",
)
SKIPPED = {"tests", "migrations", "build", "__pycache__"}


def product_files():
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*.py")):
            if not SKIPPED.intersection(path.relative_to(ROOT).parts):
                yield path


def functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.end_lineno - node.lineno + 1, node.name, node.lineno


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=60)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    rows = []
    for path in product_files():
        rel = path.relative_to(ROOT)
        rows += [(n, f"{rel}:{line}", name) for n, name, line in functions(path)]
    rows.sort(reverse=True)
    for n, where, name in rows[: args.top]:
        print(f"{n:5d}  {name}  {where}")
    over = [r for r in rows if r[0] > args.max]
    print(
        f"{len(rows)} functions, longest {rows[0][0] if rows else 0} lines; "
        f"over {args.max}: {len(over)}"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
