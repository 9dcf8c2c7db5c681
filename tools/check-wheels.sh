#!/usr/bin/env bash
# Packaging check (part of `make test`, also `make wheels`): builds the addons'
# wheels (whool, as OCA does) once per supported Odoo series, and the sandbox's,
# installs them into a fresh virtual environment and checks what an integrator
# relies on: the console script runs, each series' wheel is
# odoo-addon-<name>==<series>.* declaring odoo==<series>.* (the bridges: the main
# addon of the same series, and queue_job's for the queue_job bridge), the addon
# lands in odoo/addons with its Python dependencies declared, and its API client
# imports without Odoo.
#
# The manifests carry a series-free version (1.2.0), which Odoo 18.0 and 19.0
# both read as their own (18.0.1.2.0, 19.0.1.2.0). A wheel needs the series in
# its version, so each series is built from a copy whose manifest says it
# (tools/stamp_series.py); the repository itself is never changed.
# (Odoo itself is not on PyPI: the addon wheels go in with --no-deps here.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-.venv/bin/python}
SERIES=${SEVENSENDERS_WHEEL_SERIES:-18.0 19.0}
ADDONS=(delivery_sevensenders delivery_sevensenders_batch delivery_sevensenders_mrp delivery_sevensenders_queue_job)
out=var/wheels
rm -rf "$out"
mkdir -p "$out/dist"
"$PY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out/dist" ./sevensenders_sandbox
# the copies live outside this git work tree: whool packs what git tracks in a
# checkout, and nothing of an untracked folder inside one
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
for series in $SERIES; do
  src=$stage/$series
  mkdir -p "$src" "$out/dist/$series"
  for addon in "${ADDONS[@]}"; do
    # the tracked files only (no caches, no build folders)
    git ls-files -z -- "$addon" | xargs -0 -I{} cp --parents {} "$src"
  done
  "$PY" tools/stamp_series.py "$series" "${ADDONS[@]/#/$src/}"
  WHOOL_POST_VERSION_STRATEGY_OVERRIDE=none "$PY" -m pip wheel -q --disable-pip-version-check \
    --no-deps -w "$out/dist/$series" "${ADDONS[@]/#/$src/}"
done
find "$out/dist" -name '*.whl' | sort
"$PY" -m venv "$out/venv"
venv=$out/venv/bin
"$venv/pip" install -q --disable-pip-version-check "$out"/dist/sevensenders_sandbox-*.whl
"$venv/sevensenders-sandbox" --help > /dev/null
(cd "$out" && venv/bin/python -m sevensenders_sandbox --help > /dev/null)
for series in $SERIES; do
  "$venv/pip" uninstall -q -y "${ADDONS[@]/#/odoo-addon-}" > /dev/null 2>&1 || true
  "$venv/pip" install -q --disable-pip-version-check --no-deps "$out/dist/$series"/odoo_addon_*.whl
  (cd "$out" && SERIES=$series venv/bin/python - <<'PY'
import ast
import importlib.metadata as md
import os
import pathlib
import subprocess
import sys
import sysconfig

series = os.environ["SERIES"]
site = pathlib.Path(sysconfig.get_paths()["purelib"])
for name in ("delivery_sevensenders", "delivery_sevensenders_batch", "delivery_sevensenders_mrp",
             "delivery_sevensenders_queue_job"):
    manifest = site / "odoo" / "addons" / name / "__manifest__.py"
    assert manifest.is_file(), name
    version = ast.literal_eval(manifest.read_text())["version"]
    assert version.startswith(series + "."), (name, version)
    dist = "odoo-addon-" + name
    assert md.version(dist) == version, (dist, md.version(dist), version)
    requires = md.requires(dist)
    assert f"odoo=={series}.*" in requires, (dist, requires)
    if name != "delivery_sevensenders":
        assert f"odoo-addon-delivery_sevensenders=={series}.*" in requires, (dist, requires)
    if name == "delivery_sevensenders_queue_job":
        assert f"odoo-addon-queue_job=={series}.*" in requires, (dist, requires)
requires = md.requires("odoo-addon-delivery_sevensenders")
for need in ("pydantic", "requests"):
    assert any(r.split()[0].startswith(need) for r in requires), requires
# the API client inside the addon imports without Odoo
code = (
    "import sys; sys.path.insert(0, sys.argv[1]); import sevensenders; "
    "assert 'odoo' not in sys.modules; print(sevensenders.SevenSendersClient.__name__)"
)
subprocess.run(
    [sys.executable, "-c", code, str(site / "odoo" / "addons" / "delivery_sevensenders")],
    check=True, stdout=subprocess.DEVNULL,
)
print("wheels ok:", series, md.version("odoo-addon-delivery_sevensenders"),
      md.requires("odoo-addon-delivery_sevensenders_mrp")[0],
      "sandbox", md.version("sevensenders-sandbox"))
PY
  )
done
