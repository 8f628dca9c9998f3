#!/bin/sh
# make localstack-run: the whole pipeline on LocalStack, with the same Terraform as production.
#
#   1. docker compose up (LocalStack pinned to 4.14.0, PostgreSQL with the totesys and warehouse databases)
#   2. build the function zips with deno embedded (LocalStack Community does not apply Lambda layers)
#   3. terraform apply against LocalStack (a copy of terraform/ plus localstack_override.tf, local state)
#   4. fill the two database secrets (host `postgres` on the compose network)
#   5. seed ToteSys (if empty)
#   6. invoke ingest; EventBridge runs transform and load from the manifests, as in AWS
#   7. wait for the load, print the warehouse counts and the load log
#
# Needs Docker with compose (checked first, with the daemon), Terraform >= 1.10 and deno. Everything listens on 127.0.0.1 only.
# Stop with: make localstack-down (removes the containers and their volumes).
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for tool in docker terraform deno; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "localstack-run needs $tool on the PATH (see docs/deploy.md, 'The LocalStack loop')." >&2
    exit 1
  fi
done
# Before anything starts: the compose plugin, then a daemon that answers.
if ! docker compose version >/dev/null 2>&1; then
  echo "localstack-run needs Docker Compose v2 (\`docker compose\`): install the docker-compose-plugin package or Docker Desktop." >&2
  exit 1
fi
if ! docker info >/dev/null 2>&1; then
  echo "localstack-run needs a running Docker daemon: \`docker info\` cannot reach one (start Docker, or check DOCKER_HOST and that you may use its socket)." >&2
  exit 1
fi

prefix=terrific-totes
pg_port="${LOCALSTACK_PG_PORT:-5433}"
pg_password="${LOCALSTACK_PG_PASSWORD:-totes-local-only}"
wait_seconds="${LOCALSTACK_WAIT_SECONDS:-600}"
orders="${LOCALSTACK_SEED_ORDERS:-2000}"
compose="docker compose -f $root/localstack/docker-compose.yml"
work="$root/.local/localstack/terraform"

export AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=eu-west-2
export CHECKPOINT_DISABLE=1

echo "== 1/7 starting LocalStack and PostgreSQL"
$compose up -d --wait

echo "== 2/7 building the functions (deno embedded)"
deno run -A scripts/build.ts --embed-deno --no-layer

echo "== 3/7 terraform apply against LocalStack"
mkdir -p "$work"
rm -f "$work"/*.tf "$work"/*.tf.json
cp "$root"/terraform/*.tf "$root"/terraform/*.tf.json "$root/localstack/localstack_override.tf" "$work/"
cp "$root/terraform/.terraform.lock.hcl" "$work/" # the same provider version as production
cat >"$work/packages.auto.tfvars" <<EOF
function_packages = {
  ingest    = "$root/dist/ingest.zip"
  transform = "$root/dist/transform.zip"
  load      = "$root/dist/load.zip"
}
EOF
terraform -chdir="$work" init -input=false >/dev/null
terraform -chdir="$work" apply -auto-approve -input=false -var-file="$root/localstack/localstack.tfvars"

awslocal() {
  $compose exec -T localstack awslocal "$@"
}

echo "== 4/7 database secrets"
for db in totesys warehouse; do
  secret="{\"host\":\"postgres\",\"port\":5432,\"username\":\"postgres\",\"password\":\"$pg_password\",\"dbname\":\"$db\"}"
  awslocal secretsmanager put-secret-value --secret-id "$prefix/$db-db" --secret-string "$secret" >/dev/null
  echo "   $prefix/$db-db"
done

echo "== 5/7 seeding ToteSys ($orders sales orders, if empty)"
TOTESYS_DATABASE_URL="postgres://postgres:$pg_password@127.0.0.1:$pg_port/totesys" \
  deno task seed --if-empty --create-schema --orders "$orders" >/dev/null

echo "== 6/7 invoking ingest (the first invocation pulls the Lambda image: it can take minutes)"
# awslocal runs inside the LocalStack container: the response file is written there.
awslocal lambda invoke --function-name "$prefix-ingest" --cli-read-timeout 900 /tmp/ingest-response.json
$compose exec -T localstack cat /tmp/ingest-response.json
echo

psql_warehouse() {
  $compose exec -T postgres psql -U postgres -d warehouse -tA -c "$1" 2>/dev/null
}

psql_table() {
  $compose exec -T postgres psql -U postgres -d warehouse -c "$1"
}

echo "== 7/7 waiting up to ${wait_seconds}s for EventBridge → transform → load"
deadline=$(($(date +%s) + wait_seconds))
until [ "$(psql_warehouse "SELECT count(*) FROM etl_load_log WHERE outcome = 'loaded'" || echo 0)" -gt 0 ] 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "No load after ${wait_seconds}s. Look at the logs:" >&2
    for fn in ingest transform load; do
      echo "--- /aws/lambda/$prefix-$fn" >&2
      awslocal logs filter-log-events --log-group-name "/aws/lambda/$prefix-$fn" \
        --query 'events[].message' --output text >&2 || true
    done
    echo "--- dead-letter queue" >&2
    dlq="$(awslocal sqs get-queue-url --queue-name "$prefix-dlq" --query QueueUrl --output text || true)"
    [ -n "$dlq" ] && awslocal sqs receive-message --queue-url "$dlq" --max-number-of-messages 10 >&2 || true
    exit 1
  fi
  sleep 5
done

echo "Warehouse row counts:"
psql_table "
  SELECT t AS table_name, n AS row_count FROM (
    SELECT 'dim_date' t, count(*) n FROM dim_date UNION ALL
    SELECT 'dim_location', count(*) FROM dim_location UNION ALL
    SELECT 'dim_currency', count(*) FROM dim_currency UNION ALL
    SELECT 'dim_design', count(*) FROM dim_design UNION ALL
    SELECT 'dim_payment_type', count(*) FROM dim_payment_type UNION ALL
    SELECT 'dim_staff', count(*) FROM dim_staff UNION ALL
    SELECT 'dim_counterparty', count(*) FROM dim_counterparty UNION ALL
    SELECT 'dim_transaction', count(*) FROM dim_transaction UNION ALL
    SELECT 'fact_sales_order', count(*) FROM fact_sales_order UNION ALL
    SELECT 'fact_purchase_order', count(*) FROM fact_purchase_order UNION ALL
    SELECT 'fact_payment', count(*) FROM fact_payment
  ) c"
echo "Load log:"
psql_table "SELECT run_id, outcome, finished_at, row_counts FROM etl_load_log ORDER BY load_id"
echo "Done. The schedule keeps running ingest every 5 minutes; stop everything with: make localstack-down"
