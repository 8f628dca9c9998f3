# The three functions on the provided.al2023 custom runtime: each zip holds `bootstrap` (lambda/bootstrap) and the
# bundle `index.js`; the deno binary comes from the layer at /opt/bin/deno. Code is deployed from the artifacts
# bucket (the layer zip is over the 50 MB direct-upload limit), pinned by object version and hash.

resource "aws_s3_object" "function" {
  for_each = local.functions

  bucket      = aws_s3_bucket.this["artifacts"].id
  key         = "lambda/${each.key}.zip"
  source      = local.function_package_paths[each.key]
  source_hash = filemd5(local.function_package_paths[each.key])

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_object" "deno_layer" {
  count = var.use_deno_layer ? 1 : 0

  bucket      = aws_s3_bucket.this["artifacts"].id
  key         = "lambda/deno-layer.zip"
  source      = local.layer_package_path
  source_hash = filemd5(local.layer_package_path)

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_lambda_layer_version" "deno" {
  count = var.use_deno_layer ? 1 : 0

  layer_name               = "${var.name_prefix}-deno"
  description              = "The deno binary at /opt/bin/deno (built by scripts/build.ts)"
  s3_bucket                = aws_s3_object.deno_layer[0].bucket
  s3_key                   = aws_s3_object.deno_layer[0].key
  s3_object_version        = aws_s3_object.deno_layer[0].version_id
  source_code_hash         = filebase64sha256(local.layer_package_path)
  compatible_runtimes      = ["provided.al2023"]
  compatible_architectures = ["x86_64"]
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each = local.functions

  name              = local.log_group_names[each.key]
  retention_in_days = var.log_retention_days
}

locals {
  function_descriptions = {
    ingest    = "Captures ToteSys changes into the ingestion zone (JSON Lines + run manifest); runs on a schedule"
    transform = "Turns an ingest run into Parquet star-schema files; triggered by _manifests/ingest/ objects"
    load      = "Loads a transform run into the warehouse in one transaction; triggered by _manifests/transform/ objects"
    reconcile = "Compares ToteSys with the warehouse and publishes TerrificTotes/ReconcileDifferences; runs on a schedule"
  }

  base_environment = {
    INGESTION_BUCKET = aws_s3_bucket.this["ingestion"].bucket
    PROCESSED_BUCKET = aws_s3_bucket.this["processed"].bucket
  }

  # How the two functions that open database connections verify TLS (read by the database adapter).
  database_tls_environment = {
    DATABASE_SSLMODE   = var.database_ssl_mode
    DATABASE_CA_BUNDLE = var.database_ca_bundle
  }

  function_environment = {
    ingest = merge(local.base_environment, local.database_tls_environment, {
      TOTESYS_SECRET_ARN      = aws_secretsmanager_secret.totesys.arn
      INGEST_MAX_DELETE_SHARE = tostring(var.ingest_max_delete_share)
    }, var.extra_environment)
    transform = merge(local.base_environment, {
      TRANSFORM_BAD_ROWS = var.transform_bad_rows
    }, var.extra_environment)
    load = merge(local.base_environment, local.database_tls_environment, {
      WAREHOUSE_SECRET_ARN = aws_secretsmanager_secret.warehouse.arn
    }, var.extra_environment)
    # Compares only (no repair: that writes the lake and is run by hand, `etl reconcile --repair`).
    reconcile = merge(local.base_environment, local.database_tls_environment, {
      TOTESYS_SECRET_ARN   = aws_secretsmanager_secret.totesys.arn
      WAREHOUSE_SECRET_ARN = aws_secretsmanager_secret.warehouse.arn
    }, var.extra_environment)
  }
}

resource "aws_lambda_function" "fn" {
  for_each = local.functions

  function_name = "${var.name_prefix}-${each.key}"
  description   = local.function_descriptions[each.key]
  role          = aws_iam_role.fn[each.key].arn

  runtime       = "provided.al2023"
  handler       = "bootstrap" # unused by a custom runtime: bootstrap runs the bundle's Runtime API loop
  architectures = ["x86_64"]  # the layer's deno binary is linux x86-64
  layers        = var.use_deno_layer ? [aws_lambda_layer_version.deno[0].arn] : []

  s3_bucket         = aws_s3_object.function[each.key].bucket
  s3_key            = aws_s3_object.function[each.key].key
  s3_object_version = aws_s3_object.function[each.key].version_id
  source_code_hash  = filebase64sha256(local.function_package_paths[each.key])

  memory_size = var.lambda_memory_mb[each.key]
  timeout     = var.lambda_timeout_seconds[each.key]

  # Unreserved (-1) unless ingest_reserved_concurrency is set: the advisory lock already serialises ingest runs, and
  # an account with a low concurrency quota rejects any reservation (the first apply would fail).
  reserved_concurrent_executions = each.key == "ingest" && var.ingest_reserved_concurrency != null ? var.ingest_reserved_concurrency : -1

  environment {
    variables = local.function_environment[each.key]
  }

  logging_config {
    log_format = "Text" # the functions already write one JSON object per line (lib/io/log.ts)
    log_group  = aws_cloudwatch_log_group.fn[each.key].name
  }

  dynamic "vpc_config" {
    for_each = length(var.vpc_subnet_ids) > 0 ? [1] : []
    content {
      subnet_ids         = var.vpc_subnet_ids
      security_group_ids = var.vpc_security_group_ids
    }
  }

  lifecycle {
    # make build ships certs/rds-global-bundle.pem when it is present and only warns when it is not (it cannot know
    # these variables): the plan is where a missing bundle becomes an error, before any function refuses to connect.
    precondition {
      condition     = !contains(["ingest", "load"], each.key) || var.database_ca_bundle != "rds-global" || !contains(["verify-full", "verify-ca"], var.database_ssl_mode) || fileexists(local.rds_ca_bundle_path)
      error_message = "database_ca_bundle = rds-global with database_ssl_mode = ${var.database_ssl_mode}, but ${var.rds_ca_bundle_file} is missing, so the ${each.key} zip has no RDS certificate bundle and would refuse every database connection. Fetch https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem into certs/rds-global-bundle.pem and run make build again (certs/README.md)."
    }
  }

  depends_on = [
    aws_iam_role_policy.fn,
    aws_iam_role_policy_attachment.vpc_access,
    aws_cloudwatch_log_group.fn,
  ]
}

# EventBridge invokes the functions asynchronously: Lambda retries a failed invocation, then sends the event (with
# the error) to the dead-letter queue.
resource "aws_lambda_function_event_invoke_config" "fn" {
  for_each = local.functions

  function_name                = aws_lambda_function.fn[each.key].function_name
  maximum_retry_attempts       = var.async_retry_attempts
  maximum_event_age_in_seconds = var.async_max_event_age_seconds

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}
