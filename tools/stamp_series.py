"""Write an Odoo series into addon copies' manifests (for their wheels).

``python tools/stamp_series.py 19.0 var/wheels/src/19.0/delivery_sevensenders ...``
turns ``"version": "1.2.0"`` into ``"version": "19.0.1.2.0"``: the repository's
manifests stay series-free (Odoo 18.0 and 19.0 both accept them), a wheel is
for one series (whool takes the series from the version).
"""

import ast
import pathlib
import re
import sys


def stamp(addon_dir, series):
    path = pathlib.Path(addon_dir) / "__manifest__.py"
    text = path.read_text(encoding="utf-8")
    version = ast.literal_eval(text)["version"]
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise SystemExit(f"{path}: version {version!r} is not series-free (x.y.z)")
    new, count = re.subn(
        r'("version":\s*")' + re.escape(version) + '"',
        rf'\g<1>{series}.{version}"',
        text,
    )
    if count != 1:
        raise SystemExit(f"{path}: no single version line")
    path.write_text(new, encoding="utf-8")
    return f"{series}.{version}"


if __name__ == "__main__":
    series, *addons = sys.argv[1:]
    if not re.fullmatch(r"\d+\.0", series) or not addons:
        raise SystemExit(__doc__)
    for addon in addons:
        print(addon, stamp(addon, series))
