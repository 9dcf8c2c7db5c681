#!/usr/bin/env bash
# The project's test command (called by `make test` and CI).
#   Layer 1 (always): linters + the Odoo-free pytest suite (client and sandbox over HTTP).
#   Layers 2-3 (when an Odoo 18 is configured, see README "Odoo tests"):
#     the addon's Odoo tests, run by Odoo's own test runner.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -f odoo.env ] && . ./odoo.env
status=0
layers=()

echo "== lint: ruff"
if $PY -m ruff check . && $PY -m ruff format --check .; then layers+=("lint:ruff=ok"); else layers+=("lint:ruff=FAILED"); status=1; fi

echo "== lint: pylint-odoo (addon)"
if $PY -m pylint --rcfile=.pylintrc delivery_sevensenders delivery_sevensenders_mrp delivery_sevensenders_batch; then layers+=("lint:pylint-odoo=ok"); else layers+=("lint:pylint-odoo=FAILED"); status=1; fi

echo "== lint: addon READMEs match their readme/ fragments"
if $PY tools/gen_readme.py --check; then layers+=("lint:readme=ok"); else layers+=("lint:readme=STALE (python tools/gen_readme.py)"); status=1; fi

echo "== packaging: wheels built and installed into a fresh virtual environment"
if tools/check-wheels.sh "$PY"; then layers+=("packaging:wheels=ok"); else layers+=("packaging:wheels=FAILED"); status=1; fi

echo "== layer 1: Odoo-free pytest suite"
$PY -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here."; layers+=("layer1:pytest=NO TESTS"); status=1
elif [ $rc -ne 0 ]; then layers+=("layer1:pytest=FAILED"); status=1
else layers+=("layer1:pytest=ok"); fi

if [ -n "${ODOO_BIN:-}" ]; then
  echo "== layers 2-3: Odoo tests in $ODOO_BIN"
  odoo_dir=$(cd "$(dirname "$ODOO_BIN")" && pwd)
  # the Odoo tests start the sandbox with the project's Python (the sandbox
  # installed editable: the tests use this checkout's sandbox, not a copy
  # installed into Odoo's environment earlier)
  export SEVENSENDERS_SANDBOX_PYTHON=${SEVENSENDERS_SANDBOX_PYTHON:-$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")}
  db=${ODOO_TEST_DB:-sevensenders_test}
  addons=${ODOO_ADDONS_PATH:-$odoo_dir/addons,$odoo_dir/odoo/addons}
  mkdir -p var
  dropdb --if-exists ${ODOO_DB_ARGS_PG:-} "$db" 2>/dev/null || true
  # shellcheck disable=SC2086
  "${ODOO_PYTHON:-python3}" "$ODOO_BIN" ${ODOO_ARGS:-} -d "$db" \
    --addons-path="$PWD,$addons" -i "${ODOO_MODULES:-delivery_sevensenders,delivery_sevensenders_mrp,delivery_sevensenders_batch,website_sale}" \
    --test-enable --test-tags "${ODOO_TEST_TAGS:-/delivery_sevensenders,/delivery_sevensenders_mrp,/delivery_sevensenders_batch}" \
    --stop-after-init --log-level=test --http-port="${ODOO_HTTP_PORT:-8169}" \
    > var/odoo-tests.log 2>&1
  odoo_rc=$?
  summary=$(grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" var/odoo-tests.log | tail -1 | sed 's/.*INFO [^ ]* odoo.tests.result: //')
  echo "Odoo runner: ${summary:-no summary line (see var/odoo-tests.log)}"
  if [ $odoo_rc -ne 0 ] || [ -z "$summary" ] || ! echo "$summary" | grep -q "^0 failed, 0 error(s)" \
     || grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " var/odoo-tests.log; then
    grep -E " (ERROR|CRITICAL) " var/odoo-tests.log | head -40
    layers+=("layer2-3:odoo=FAILED"); status=1
  else layers+=("layer2-3:odoo=ok (${summary})"); fi

  # layer 4: the fault soak commits, so it runs alone in a copy of the test
  # database (SEVENSENDERS_SOAK_ORDERS=0 skips it; the full soak is 1000)
  soak_orders=${SEVENSENDERS_SOAK_ORDERS:-200}
  if [ "$soak_orders" != "0" ] && [ $odoo_rc -eq 0 ]; then
    echo "== layer 4: fault soak, $soak_orders orders"
    soak_db="${db}_soak"
    dropdb --if-exists ${ODOO_DB_ARGS_PG:-} "$soak_db" 2>/dev/null || true
    createdb ${ODOO_DB_ARGS_PG:-} -T "$db" "$soak_db"
    # shellcheck disable=SC2086
    SEVENSENDERS_SOAK_ORDERS=$soak_orders "${ODOO_PYTHON:-python3}" "$ODOO_BIN" ${ODOO_ARGS:-} \
      -d "$soak_db" --addons-path="$PWD,$addons" --test-enable \
      --test-tags sevensenders_soak --stop-after-init --log-level=test \
      --http-port="${ODOO_HTTP_PORT:-8169}" > var/odoo-soak.log 2>&1
    soak_rc=$?
    dropdb --if-exists ${ODOO_DB_ARGS_PG:-} "$soak_db" 2>/dev/null || true
    soak=$(grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" var/odoo-soak.log | tail -1 | sed 's/.*INFO [^ ]* odoo.tests.result: //')
    echo "Odoo runner (soak): ${soak:-no summary line (see var/odoo-soak.log)}"
    # serialization failures are logged by Odoo as errors, and retried: the
    # summary line (the soak and the concurrent returns, no failure) is the verdict
    if [ $soak_rc -ne 0 ] || ! echo "$soak" | grep -q "^0 failed, 0 error(s) of [0-9]* tests"; then
      grep -E "FAIL|AssertionError|Traceback" var/odoo-soak.log | head -20
      layers+=("layer4:soak=FAILED"); status=1
    else layers+=("layer4:soak=ok (${soak})"); fi
  fi
else
  echo "== layers 2-3: skipped (no Odoo 18 configured: set ODOO_BIN, see README)"
  layers+=("layer2-3:odoo=skipped (no ODOO_BIN)")
fi

echo
echo "Test layers: ${layers[*]}"
exit $status
