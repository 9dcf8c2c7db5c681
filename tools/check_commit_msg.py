"""commit-msg hook: OCA's ``[TAG] module: short summary`` subject, at most 72
characters, then a blank line before the body.

``pre-commit install --hook-type commit-msg`` runs it on every commit.
"""

import re
import sys

TAGS = "ADD|IMP|FIX|REF|REM|MIG|MOV|REV|MERGE|I18N|PERF|CLA|UPD"
SUBJECT = re.compile(rf"^\[({TAGS})\] [A-Za-z0-9_.,/ -]+: \S.*$")


def problems(message):
    lines = message.split("\n")
    subject = lines[0]
    found = []
    if not SUBJECT.match(subject):
        found.append(f"subject must read '[TAG] module: summary' (TAG: {TAGS})")
    if len(subject) > 72:
        found.append(f"subject is {len(subject)} characters (at most 72)")
    if len(lines) > 1 and lines[1].strip():
        found.append("a blank line must follow the subject")
    return found


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        text = "\n".join(
            line for line in f.read().splitlines() if not line.startswith("#")
        ).strip()
    errors = problems(text)
    for error in errors:
        print(f"commit message: {error}", file=sys.stderr)
    sys.exit(1 if errors else 0)
