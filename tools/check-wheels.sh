#!/usr/bin/env bash
# Packaging check (part of `make test`): builds the addons' wheels (whool, as OCA
# does) and the sandbox's, installs them into a fresh virtual environment and
# checks what an integrator relies on: the console script runs, the addon lands in
# odoo/addons with its Python dependencies declared, and its API client imports
# without Odoo. (Odoo itself is not on PyPI: the addon wheels go in with
# --no-deps here; with an Odoo installed, `pip install ./delivery_sevensenders` works.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-.venv/bin/python}
out=var/wheels
rm -rf "$out"
mkdir -p "$out"
"$PY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out/dist" \
  ./delivery_sevensenders ./delivery_sevensenders_batch ./delivery_sevensenders_mrp \
  ./sevensenders_sandbox
ls "$out/dist"
"$PY" -m venv "$out/venv"
venv=$out/venv/bin
"$venv/pip" install -q --disable-pip-version-check "$out"/dist/sevensenders_sandbox-*.whl
"$venv/pip" install -q --disable-pip-version-check --no-deps "$out"/dist/odoo_addon_*.whl
"$venv/sevensenders-sandbox" --help > /dev/null
(cd "$out" && venv/bin/python -m sevensenders_sandbox --help > /dev/null)
(cd "$out" && venv/bin/python - <<'PY'
import importlib.metadata as md
import pathlib
import sys
import sysconfig

site = pathlib.Path(sysconfig.get_paths()["purelib"])
for name in ("delivery_sevensenders", "delivery_sevensenders_batch", "delivery_sevensenders_mrp"):
    assert (site / "odoo" / "addons" / name / "__manifest__.py").is_file(), name
requires = md.requires("odoo-addon-delivery_sevensenders")
for need in ("odoo", "pydantic", "requests"):
    assert any(r.split()[0].startswith(need) for r in requires), requires
# the API client inside the addon imports without Odoo
sys.path.insert(0, str(site / "odoo" / "addons" / "delivery_sevensenders"))
import sevensenders  # noqa: E402

assert "odoo" not in sys.modules
print("wheels ok:", md.version("odoo-addon-delivery_sevensenders"),
      "sandbox", md.version("sevensenders-sandbox"), "client", sevensenders.SevenSendersClient)
PY
)
