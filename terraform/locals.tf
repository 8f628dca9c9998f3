locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  functions = toset(["ingest", "transform", "load", "reconcile"])

  # Bucket names are global: the account id keeps them unique per account.
  bucket_names = merge(
    {
      ingestion = "${var.name_prefix}-ingestion-${local.account_id}"
      processed = "${var.name_prefix}-processed-${local.account_id}"
      artifacts = "${var.name_prefix}-artifacts-${local.account_id}"
    },
    # Athena's query results (lake.tf), written through the lake's workgroup only.
    var.lake_query_enabled ? { athena_results = "${var.name_prefix}-athena-results-${local.account_id}" } : {},
  )

  # ARNs derived from names (their AWS formats are fixed), so policies can name resources before they exist and
  # tests can check them against literal ARNs.
  bucket_arns     = { for k, n in local.bucket_names : k => "arn:${local.partition}:s3:::${n}" }
  log_group_names = { for fn in local.functions : fn => "/aws/lambda/${var.name_prefix}-${fn}" }
  log_group_arns = {
    for fn, n in local.log_group_names : fn => "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:${n}"
  }
  rule_names = {
    ingest    = "${var.name_prefix}-ingest-schedule"
    transform = "${var.name_prefix}-transform-on-manifest"
    load      = "${var.name_prefix}-load-on-manifest"
    reconcile = "${var.name_prefix}-reconcile-schedule"
  }
  rule_arns = {
    for fn, n in local.rule_names : fn => "arn:${local.partition}:events:${var.aws_region}:${local.account_id}:rule/${n}"
  }

  # Buckets whose object-created events go to EventBridge (the artifacts bucket triggers nothing).
  event_buckets = toset(["ingestion", "processed"])

  function_package_paths = {
    for fn, p in var.function_packages : fn => startswith(p, "/") ? p : "${path.module}/${p}"
  }
  rds_ca_bundle_path = startswith(var.rds_ca_bundle_file, "/") ? var.rds_ca_bundle_file : "${path.module}/${var.rds_ca_bundle_file}"
  layer_package_path = startswith(var.layer_package, "/") ? var.layer_package : "${path.module}/${var.layer_package}"

  # Key prefixes of the data contract (docs/design.md sections 3 and 4): the IAM policies grant object access under
  # these prefixes only. The table lists, local.source_tables and local.warehouse_tables, and the lake's Glue columns,
  # local.lake_columns, are generated from lib/contract/ into contract.tf.json (`deno task tf-gen`;
  # tests/deploy/tf_contract_test.ts fails when it disagrees with the contract).
  ingest_manifest_prefix    = "_manifests/ingest/"
  transform_manifest_prefix = "_manifests/transform/"

  common_tags = { Pipeline = var.name_prefix }
}
