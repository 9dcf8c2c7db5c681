#!/usr/bin/env bash
# `make run`: the sandbox, plus an Odoo (18.0 or 19.0) with the addon on a German
# demo database when one is configured (ODOO_BIN, ODOO_PYTHON, ODOO_ARGS; in the
# environment or in ./odoo.env; ODOO_BIN_19 and ODOO_PYTHON_19 when ODOO_BIN is
# not set).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -f odoo.env ] && . ./odoo.env
if [ -z "${ODOO_BIN:-}" ]; then
  for n in 19 18; do
    bin_var=ODOO_BIN_$n python_var=ODOO_PYTHON_$n args_var=ODOO_ARGS_$n
    if [ -n "${!bin_var:-}" ]; then
      ODOO_BIN=${!bin_var} ODOO_PYTHON=${!python_var:-} ODOO_ARGS=${!args_var:-}
      break
    fi
  done
fi
if [ -z "${ODOO_BIN:-}" ]; then
  cat >&2 <<MSG
No Odoo found: set ODOO_BIN to your odoo-bin (and ODOO_PYTHON to the Python of
your Odoo environment), in the environment or in ./odoo.env; see README "Odoo tests".
Starting the sandbox alone on http://127.0.0.1:8765/v2 (Ctrl-C to stop).
MSG
  exec "$PY" -m sevensenders_sandbox
fi
mkdir -p var
# the sandbox keeps its state in a file next to the demo database's name, so a
# second `make run` finds the orders the first one sent
"$PY" -m sevensenders_sandbox --db "var/sandbox-${ODOO_DEMO_DB:-sevensenders_demo}.sqlite" \
  > var/demo-sandbox.log 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null' EXIT
mkdir -p var
db=${ODOO_DEMO_DB:-sevensenders_demo}
port=${ODOO_HTTP_PORT:-8069}
odoo_dir=$(cd "$(dirname "$ODOO_BIN")" && pwd)
addons="$PWD,${ODOO_ADDONS_PATH:-$odoo_dir/addons,$odoo_dir/odoo/addons}"
odoo() {  # odoo server|shell [options]
  local command=$1
  shift
  # shellcheck disable=SC2086
  "${ODOO_PYTHON:-python3}" "$ODOO_BIN" "$command" ${ODOO_ARGS:-} -d "$db" --addons-path="$addons" "$@"
}
shell() { odoo shell --no-http --log-level=warn < "$1"; }
series=$("${ODOO_PYTHON:-python3}" "$ODOO_BIN" --version | grep -oE '[0-9]+\.[0-9]+' | head -1)
demo=()
# from 19.0 on, Odoo loads demo data only when asked
[ "${series%%.*}" -ge 19 ] && demo=(--with-demo)
ready=$(echo 'print("DEMO-READY", env["ir.module.module"].search_count([("name", "=", "delivery_sevensenders"), ("state", "=", "installed")]))' \
  | odoo shell --no-http --log-level=critical 2>/dev/null | grep -o "DEMO-READY [0-9]*" || true)
if [ "$ready" != "DEMO-READY 1" ]; then
  # a German company gets Odoo's German e-invoicing with its accounting
  # (account_peppol needs the module certificate). Without it, or with
  # ODOO_DEMO_COMPANY=plain, the company gets its German address only after the
  # apps are installed: Odoo's generic chart of accounts, no e-invoicing.
  company_mode=${ODOO_DEMO_COMPANY:-german}
  if [ "$company_mode" = german ]; then
    found=""
    IFS=, read -ra dirs <<< "$addons"
    # an Enterprise-licensed (OEEL-1) copy counts as missing: this demo never
    # installs Enterprise modules
    for dir in "${dirs[@]}"; do
      manifest=$dir/certificate/__manifest__.py
      [ -f "$manifest" ] && ! grep -q "OEEL" "$manifest" && found=1
    done
    if [ -z "$found" ]; then
      echo "Odoo $series gives a German company its e-invoicing (account_peppol), which" >&2
      echo "needs Odoo's module 'certificate': it is not on the addons path ($addons)" >&2
      echo "under an LGPL licence." >&2
      echo "Building the demo with ODOO_DEMO_COMPANY=plain instead: the German address is" >&2
      echo "set after the install, so the company keeps Odoo's generic chart of accounts." >&2
      company_mode=plain
    fi
  fi
  export ODOO_DEMO_COMPANY=$company_mode
  if [ "$company_mode" = german ] && ! "${ODOO_PYTHON:-python3}" -c "import phonenumbers" 2> /dev/null; then
    echo "The German demo company gets Odoo's German accounting, which installs" >&2
    echo "account_peppol: it needs phonenumbers in Odoo's Python (pip install phonenumbers)." >&2
    exit 1
  fi
  echo "== building the demo database $db on Odoo $series (a few minutes; log: var/demo-install.log)"
  odoo server -i base "${demo[@]}" --stop-after-init --log-level=warn > var/demo-install.log 2>&1
  shell tools/demo/german_company.py
  odoo server -i delivery_sevensenders,delivery_sevensenders_batch,delivery_sevensenders_mrp,website_sale \
    --load-language=de_DE --stop-after-init --log-level=warn >> var/demo-install.log 2>&1
  [ "$company_mode" = plain ] && shell tools/demo/german_company.py
  until curl -sf http://127.0.0.1:8765/_sandbox/health > /dev/null; do sleep 0.2; done
  shell tools/demo/demo_orders.py
  shell tools/demo/demo_history.py
fi
cat <<MSG

  Seven Senders demo: http://127.0.0.1:$port  (database $db, login admin / admin)
  Sandbox: http://127.0.0.1:8765/docs (access key sandbox-access-key)

  Look at:
  - Sales > Orders: the 7S-DEMO orders of a German merchant, synced (Seven Senders
    button), one delivered and tracked, one waiting for delivery.
  - Inventory > Deliveries: 7S labels (PDF) per parcel; the UK delivery's customs
    shipment; Inventory > Configuration > Seven Senders > Outbox: every call made.
  - Inventory > Configuration > Seven Senders > Accounts: the sandbox account.
  - Inventory > Reporting > Shipping performance and Late parcels: four weeks of
    shipping history (parcels, on-time share, transit times per carrier; the late
    parcels, each row opens its delivery).
  - The shop (/shop): put a product in the cart, check out with "Seven Senders DHL
    (7S Label)" and pick a Seven Senders pickup point.

MSG
odoo server --http-interface=127.0.0.1 --http-port="$port"
