#!/usr/bin/env bash
# The order-to-cash flow through the REST API, as a client does it: a product with stock in a
# warehouse, a customer, an order (sent with an Idempotency-Key), a wait for the reservation
# (inventory answers the order asynchronously, over Kafka), a shipment, a wait for the invoice
# (billing issues it when the shipment is dispatched), then the order's summary.
#
#   examples/walkthrough.sh [GATEWAY_URL [TOKEN]]
#
# GATEWAY_URL (or OMS_GATEWAY_URL): default `make run`'s, http://127.0.0.1:8000.
# TOKEN (or OMS_TOKEN): a bearer token with a role that may do all of this (admin); default a
# development token, as `make -s token ROLE=admin` gives, which only `make run` accepts.
# OMS_WAIT_SECONDS: how long to wait for each asynchronous step (default 60).
#
# Every run makes its own product, warehouse and customer (named after the run), so it can be
# run again and again. Needs bash, curl and the project's .venv (JSON is read with Python).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
GATEWAY=${1:-${OMS_GATEWAY_URL:-http://127.0.0.1:$((8000 + ${OMS_PORT_OFFSET:-0}))}}
TOKEN=${2:-${OMS_TOKEN:-$("$PY" -m servicekit.auth issue --role admin --subject dev-admin)}}
WAIT_SECONDS=${OMS_WAIT_SECONDS:-60}
API=$GATEWAY/api/v1
RUN=$(date +%Y%m%d%H%M%S)-$RANDOM

say() { printf '\n==> %s\n' "$*" >&2; }

# call METHOD PATH [JSON [HEADER...]]: the answer's body; stops the script, showing the answer,
# on an error status.
call() {
  local method=$1 path=$2 body=${3:-} args=()
  args=(-sS -X "$method" -H "Authorization: Bearer $TOKEN" -w '\n%{http_code}')
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  for header in "${@:4}"; do args+=(-H "$header"); done
  local answer status
  answer=$(curl "${args[@]}" "$API$path")
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  if [ "$status" -ge 400 ]; then
    printf '%s %s answered %s:\n%s\n' "$method" "$path" "$status" "$answer" >&2
    exit 1
  fi
  printf '%s' "$answer"
}

# field NAME.NAME... : the value at that path of the JSON on standard input (jq -r .a.b)
field() {
  "$PY" -c '
import json, sys
text = sys.stdin.read()
if not text:
    sys.exit(1)  # the call before it failed, and said why
value = json.loads(text)
for name in sys.argv[1].split("."):
    value = value[int(name)] if isinstance(value, list) else value[name]
print(value)' "$1"
}

# wait_for WHAT PATH FIELD WANTED [GIVE_UP...]: polls GET PATH until FIELD is WANTED (a client
# of an asynchronous system does the same); fails at once on a GIVE_UP value, or on timeout.
wait_for() {
  local what=$1 path=$2 name=$3 wanted=$4 value
  local deadline=$((SECONDS + WAIT_SECONDS))
  say "waiting for $what ($name = $wanted, at most ${WAIT_SECONDS}s)"
  while true; do
    value=$(call GET "$path" | field "$name")
    [ "$value" = "$wanted" ] && { echo "    $name: $value" >&2; return; }
    for stop in "${@:5}"; do
      [ "$value" = "$stop" ] && { echo "$what: $name is $value" >&2; exit 1; }
    done
    [ $SECONDS -ge $deadline ] && { echo "gave up after ${WAIT_SECONDS}s: $name is $value" >&2; exit 1; }
    echo "    $name: $value, still waiting..." >&2
    sleep 1
  done
}

say "gateway $GATEWAY, run $RUN"
if ! curl -sf -o /dev/null "$GATEWAY/health/ready"; then
  echo "no gateway ready at $GATEWAY: is \`make run\` running? (or pass its address)" >&2
  exit 1
fi
say "a product, a warehouse, 10 units in it"
PRODUCT=$(call POST /products \
  "{\"sku\":\"WALK-$RUN\",\"name\":\"Widget $RUN\",\"list_price\":{\"amount\":\"12.50\",\"currency\":\"EUR\"}}" |
  field id)
WAREHOUSE=$(call POST /warehouses "{\"code\":\"W-$RUN\",\"name\":\"Main $RUN\"}" | field id)
call POST /stock/adjustments "{\"warehouse_id\":\"$WAREHOUSE\",\"product_id\":\"$PRODUCT\",\
\"quantity_delta\":10,\"reason\":\"initial count\"}" >/dev/null
echo "    product $PRODUCT, warehouse $WAREHOUSE" >&2

say "a customer (orders are taken only for customers the suite knows)"
CUSTOMER=$(call POST /customers "{\"name\":\"Acme $RUN\",\"kind\":\"company\",\"currency\":\"EUR\"}" |
  field id)

say "an order for 3 units; sent again with the same Idempotency-Key it would not be placed twice"
ORDER_JSON=$(call POST /sales-orders \
  "{\"customer_id\":\"$CUSTOMER\",\"currency\":\"EUR\",\"lines\":[{\"product_id\":\"$PRODUCT\",\"quantity\":3}]}" \
  "Idempotency-Key: order-$RUN")
ORDER=$(field id <<<"$ORDER_JSON")
echo "    order $ORDER: status $(field status <<<"$ORDER_JSON")," \
  "stock_status $(field stock_status <<<"$ORDER_JSON"), total $(field total.amount <<<"$ORDER_JSON") EUR" >&2

# The order is approved at once (status: execution); its stock is reserved when inventory has
# handled the order's event. Shipping before that answers 409 (nothing reserved).
wait_for "inventory to reserve the stock" "/sales-orders/$ORDER" stock_status reserved \
  backordered rejected

say "a shipment of what is reserved"
SHIPMENT=$(call POST /shipments "{\"order_id\":\"$ORDER\",\"warehouse_id\":\"$WAREHOUSE\",\
\"carrier\":\"DHL\",\"tracking_number\":\"1Z-$RUN\"}" | field id)
echo "    shipment $SHIPMENT" >&2

wait_for "billing to invoice the shipment" "/sales-orders/$ORDER" status invoiced cancelled

say "the order's summary: the order, its shipments and invoices"
SUMMARY=$(call GET "/sales-orders/$ORDER/summary")
echo "    invoice $(field invoices.0.number <<<"$SUMMARY"):" \
  "$(field invoices.0.total.amount <<<"$SUMMARY") $(field invoices.0.total.currency <<<"$SUMMARY")" >&2
printf '%s\n' "$SUMMARY"
