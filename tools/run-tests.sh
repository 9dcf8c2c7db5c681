#!/usr/bin/env bash
# The project's test command (called by `make test` and CI).
#   Layer 1 (always): linters + the Odoo-free pytest suite (client and sandbox over HTTP).
#   Layers 2-4 (for each Odoo configured, 18.0 or 19.0, see README "Odoo tests"):
#     the addons' Odoo tests and the fault soak, run by Odoo's own test runner.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -f odoo.env ] && . ./odoo.env
status=0
layers=()

echo "== lint: ruff"
if $PY -m ruff check . && $PY -m ruff format --check .; then layers+=("lint:ruff=ok"); else layers+=("lint:ruff=FAILED"); status=1; fi

echo "== lint: pylint-odoo (addon)"
if $PY -m pylint --rcfile=.pylintrc delivery_sevensenders delivery_sevensenders_mrp delivery_sevensenders_batch delivery_sevensenders_queue_job; then layers+=("lint:pylint-odoo=ok"); else layers+=("lint:pylint-odoo=FAILED"); status=1; fi

echo "== lint: no product function over 60 lines"
if $PY tools/function_lengths.py --top 5; then layers+=("lint:lengths=ok"); else layers+=("lint:lengths=FAILED"); status=1; fi

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

# Layers 2-4 run once per configured Odoo: ODOO_BIN (any supported series) and
# ODOO_BIN_18 / ODOO_BIN_19 / ODOO_BIN_20 (each with its ODOO_PYTHON_<n>, and
# optionally ODOO_ARGS_<n> and ODOO_ADDONS_PATH_<n>), one after the other.
odoo_layers() {  # odoo_layers ODOO_BIN ODOO_PYTHON ODOO_ARGS ADDONS_PATH
  local bin=$1 python=${2:-python3} args=$3 addons=$4 odoo_dir series db log soak_log
  odoo_dir=$(cd "$(dirname "$bin")" && pwd)
  series=$("$python" "$bin" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+' | head -1)
  if [ -z "$series" ]; then
    echo "== $bin does not run with $python"; layers+=("layer2-3:odoo=FAILED ($bin does not run)"); status=1; return
  fi
  echo "== layers 2-3: Odoo $series tests in $bin"
  # the Odoo tests start the sandbox with the project's Python (the sandbox
  # installed editable: the tests use this checkout's sandbox, not a copy
  # installed into Odoo's environment earlier)
  export SEVENSENDERS_SANDBOX_PYTHON=${SEVENSENDERS_SANDBOX_PYTHON:-$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")}
  if ! "$python" -c "import sevensenders_sandbox.control" 2>/dev/null; then
    echo "Odoo $series: its Python ($python) cannot import the sandbox's control client:"
    echo "  $python -m pip install --no-deps ./sevensenders_sandbox"
    layers+=("layer2-3:odoo@$series=FAILED (sevensenders_sandbox not in Odoo's Python)"); status=1; return
  fi
  db=${ODOO_TEST_DB:-sevensenders_test}_${series%%.*}
  addons=${addons:-$odoo_dir/addons,$odoo_dir/odoo/addons}
  local modules=${ODOO_MODULES:-delivery_sevensenders,delivery_sevensenders_mrp,delivery_sevensenders_batch,website_sale}
  local tags=${ODOO_TEST_TAGS:-/delivery_sevensenders,/delivery_sevensenders_mrp,/delivery_sevensenders_batch}
  # the queue_job bridge, when OCA's queue_job is available to this Odoo (its
  # addons path, or the odoo/addons of its Python: the odoo-addon-queue_job wheel)
  local site qj=""
  site=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null)
  for dir in ${addons//,/ } "$site/odoo/addons"; do
    [ -f "$dir/queue_job/__manifest__.py" ] && qj=$dir && break
  done
  if [ -n "$qj" ]; then
    echo "Odoo $series: queue_job found in $qj: delivery_sevensenders_queue_job installed and tested"
    [ -z "${ODOO_MODULES:-}" ] && modules=$modules,delivery_sevensenders_queue_job
    [ -z "${ODOO_TEST_TAGS:-}" ] && tags=$tags,/delivery_sevensenders_queue_job
    layers+=("layer2-3:queue_job@$series=included")
  else
    echo "Odoo $series: no queue_job (pip install 'odoo-addon-queue_job==$series.*'): delivery_sevensenders_queue_job skipped"
    layers+=("layer2-3:queue_job@$series=skipped (no queue_job)")
  fi
  local demo=()
  # from 19.0 on, Odoo loads demo data only when asked (the tests use it)
  [ "${series%%.*}" -ge 19 ] && demo=(--with-demo)
  log=var/odoo-tests-$series.log
  soak_log=var/odoo-soak-$series.log
  mkdir -p var
  dropdb --if-exists ${ODOO_DB_ARGS_PG:-} "$db" 2>/dev/null || true
  # shellcheck disable=SC2086
  "$python" "$bin" $args -d "$db" --addons-path="$PWD,$addons" -i "$modules" "${demo[@]}" \
    --test-enable --test-tags "$tags" \
    --stop-after-init --log-level=test --http-port="${ODOO_HTTP_PORT:-8169}" \
    > "$log" 2>&1
  local odoo_rc=$?
  # an addon whose manifest does not fit the series is skipped with a warning
  # and Odoo still exits 0: check that every addon asked for is installed
  local missing
  # shellcheck disable=SC2086
  missing=$(psql ${ODOO_DB_ARGS_PG:-} -d "$db" -tAc "SELECT string_agg(name, ',') FROM unnest(string_to_array('$modules', ',')) AS name WHERE name NOT IN (SELECT name FROM ir_module_module WHERE state = 'installed')" 2>&1)
  local summary
  summary=$(grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -1 | sed 's/.*INFO [^ ]* odoo.tests.result: //')
  echo "Odoo $series runner: ${summary:-no summary line (see $log)}"
  if [ -n "$missing" ]; then
    echo "Odoo $series: not installed: $missing (see $log)"
    layers+=("layer2-3:odoo@$series=FAILED (not installed: $missing)"); status=1; return
  fi
  if [ $odoo_rc -ne 0 ] || [ -z "$summary" ] || ! echo "$summary" | grep -q "^0 failed, 0 error(s)" \
     || grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log"; then
    grep -E " (ERROR|CRITICAL) " "$log" | head -40
    layers+=("layer2-3:odoo@$series=FAILED"); status=1
  else layers+=("layer2-3:odoo@$series=ok (${summary})"); fi

  # layer 4: the fault soak commits, so it runs alone in a copy of the test
  # database (SEVENSENDERS_SOAK_ORDERS=0 skips it; the full soak is 1000)
  local soak_orders=${SEVENSENDERS_SOAK_ORDERS:-200}
  if [ "$soak_orders" != "0" ] && [ $odoo_rc -eq 0 ]; then
    echo "== layer 4: Odoo $series fault soak, $soak_orders orders"
    local soak_db="${db}_soak"
    dropdb --if-exists ${ODOO_DB_ARGS_PG:-} "$soak_db" 2>/dev/null || true
    createdb ${ODOO_DB_ARGS_PG:-} -T "$db" "$soak_db"
    # shellcheck disable=SC2086
    SEVENSENDERS_SOAK_ORDERS=$soak_orders "$python" "$bin" $args \
      -d "$soak_db" --addons-path="$PWD,$addons" --test-enable \
      --test-tags sevensenders_soak --stop-after-init --log-level=test \
      --http-port="${ODOO_HTTP_PORT:-8169}" > "$soak_log" 2>&1
    local soak_rc=$?
    dropdb --if-exists ${ODOO_DB_ARGS_PG:-} "$soak_db" 2>/dev/null || true
    local soak
    soak=$(grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$soak_log" | tail -1 | sed 's/.*INFO [^ ]* odoo.tests.result: //')
    echo "Odoo $series runner (soak): ${soak:-no summary line (see $soak_log)}"
    # serialization failures are logged by Odoo as errors, and retried: the
    # summary line (the soak and the concurrent returns, no failure) is the verdict
    if [ $soak_rc -ne 0 ] || ! echo "$soak" | grep -q "^0 failed, 0 error(s) of [0-9]* tests"; then
      grep -E "FAIL|AssertionError|Traceback" "$soak_log" | head -20
      layers+=("layer4:soak@$series=FAILED"); status=1
    else layers+=("layer4:soak@$series=ok (${soak})"); fi
  fi
}

ran_odoo=0
if [ -n "${ODOO_BIN:-}" ]; then
  odoo_layers "$ODOO_BIN" "${ODOO_PYTHON:-}" "${ODOO_ARGS:-}" "${ODOO_ADDONS_PATH:-}"; ran_odoo=1
fi
for n in 18 19 20; do
  bin_var=ODOO_BIN_$n python_var=ODOO_PYTHON_$n args_var=ODOO_ARGS_$n addons_var=ODOO_ADDONS_PATH_$n
  if [ -n "${!bin_var:-}" ]; then
    odoo_layers "${!bin_var}" "${!python_var:-}" "${!args_var:-}" "${!addons_var:-}"; ran_odoo=1
  fi
done
if [ $ran_odoo -eq 0 ]; then
  echo "== layers 2-4: skipped (no Odoo configured: set ODOO_BIN or ODOO_BIN_18 / ODOO_BIN_19, see README)"
  layers+=("layer2-3:odoo=skipped (no ODOO_BIN)")
fi

echo
echo "Test layers: ${layers[*]}"
exit $status
