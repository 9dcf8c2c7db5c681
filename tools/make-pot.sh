#!/usr/bin/env bash
# `make pot`: the addon's .pot exported by Odoo itself (--i18n-export), then
# each .po merged with it (msgmerge; new entries stay untranslated until
# someone translates them; tests/test_translations.py says which).
# Needs an Odoo configured as for the tests (ODOO_BIN or ODOO_BIN_18/_19, in
# the environment or ./odoo.env) and a database where the addon is installed:
# ODOO_POT_DB (default: the test database of that series, kept by `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f odoo.env ] && . ./odoo.env
addon=${ADDON:-delivery_sevensenders}
bin=${ODOO_BIN:-${ODOO_BIN_18:-${ODOO_BIN_19:-}}}
if [ -z "$bin" ]; then
  echo "make pot needs an Odoo: set ODOO_BIN (see README, Odoo tests)." >&2
  exit 1
fi
if [ -n "${ODOO_BIN:-}" ]; then
  python=${ODOO_PYTHON:-python3} args=${ODOO_ARGS:-} addons=${ODOO_ADDONS_PATH:-}
elif [ -n "${ODOO_BIN_18:-}" ]; then
  python=${ODOO_PYTHON_18:-python3} args=${ODOO_ARGS_18:-} addons=${ODOO_ADDONS_PATH_18:-}
else
  python=${ODOO_PYTHON_19:-python3} args=${ODOO_ARGS_19:-} addons=${ODOO_ADDONS_PATH_19:-}
fi
odoo_dir=$(cd "$(dirname "$bin")" && pwd)
series=$("$python" "$bin" --version | grep -oE '[0-9]+' | head -1)
db=${ODOO_POT_DB:-${ODOO_TEST_DB:-sevensenders_test}_$series}
pot=$addon/i18n/$addon.pot
tmp=$(mktemp --suffix=.pot)
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2086
"$python" "$bin" $args -d "$db" --addons-path="$PWD,${addons:-$odoo_dir/addons,$odoo_dir/odoo/addons}" \
  --i18n-export="$tmp" --modules="$addon" --log-level=warn --stop-after-init
cp "$tmp" "$pot"
for po in "$addon"/i18n/*.po; do
  msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "$pot"
done
echo "$pot exported from Odoo $series (database $db); merged into: $(ls "$addon"/i18n/*.po | xargs)"
