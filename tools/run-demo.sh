#!/usr/bin/env bash
# `make run`: the sandbox, plus an Odoo 18 with the addon on a demo database when one is configured.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -f odoo.env ] && . ./odoo.env
if [ -z "${ODOO_BIN:-}" ]; then
  cat >&2 <<MSG
No Odoo 18 found: set ODOO_BIN to your odoo-bin (and ODOO_PYTHON to the Python of
your Odoo environment), in the environment or in ./odoo.env; see README "Odoo tests".
Starting the sandbox alone on http://127.0.0.1:8765/v2 (Ctrl-C to stop).
MSG
  exec "$PY" -m sevensenders_sandbox
fi
"$PY" -m sevensenders_sandbox &
sandbox=$!
trap 'kill $sandbox 2>/dev/null' EXIT
odoo_dir=$(cd "$(dirname "$ODOO_BIN")" && pwd)
# shellcheck disable=SC2086
"${ODOO_PYTHON:-python3}" "$ODOO_BIN" ${ODOO_ARGS:-} -d "${ODOO_DEMO_DB:-sevensenders_demo}" \
  --addons-path="$PWD,${ODOO_ADDONS_PATH:-$odoo_dir/addons,$odoo_dir/odoo/addons}" \
  -i delivery_sevensenders --http-interface=127.0.0.1 --http-port="${ODOO_HTTP_PORT:-8069}"
