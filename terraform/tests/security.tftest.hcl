# Security and wiring properties of the configuration, checked offline: `mock_provider "aws"` stands in for AWS
# (no credentials, no network), and `command = apply` gives every computed attribute (ARNs, ids) a mock value, so
# the policies can be checked against the very ARNs they must be scoped to.
#
# Run: make tf-test   (or: terraform -chdir=terraform test, after terraform init -backend=false)

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/terraform-test"
      user_id    = "AIDATESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition          = "aws"
      dns_suffix         = "amazonaws.com"
      reverse_dns_prefix = "com.amazonaws"
    }
  }

  # The provider still validates ARN arguments: computed ARNs get well-formed mock values. ARNs that the policies
  # must tell apart (buckets, log groups, rules) are derived from names in locals.tf and checked as literals below.
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-2:123456789012:terrific-totes-dlq"
      id  = "https://sqs.eu-west-2.amazonaws.com/123456789012/terrific-totes-dlq"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-2:123456789012:terrific-totes-alarms" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/terrific-totes-mock-lambda" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/terrific-totes-lake-reader" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-2:123456789012:function:terrific-totes-mock" }
  }
  mock_resource "aws_lambda_layer_version" {
    defaults = { arn = "arn:aws:lambda:eu-west-2:123456789012:layer:terrific-totes-deno:1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-mock" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-2:123456789012:rule/terrific-totes-mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::terrific-totes-mock" }
  }
}

override_resource {
  target = aws_secretsmanager_secret.totesys
  values = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:terrific-totes/totesys-db-AbC123" }
}

override_resource {
  target = aws_secretsmanager_secret.warehouse
  values = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:terrific-totes/warehouse-db-XyZ789" }
}

variables {
  function_packages = {
    ingest    = "tests/fixtures/placeholder.zip"
    transform = "tests/fixtures/placeholder.zip"
    load      = "tests/fixtures/placeholder.zip"
    reconcile = "tests/fixtures/placeholder.zip"
  }
  layer_package      = "tests/fixtures/placeholder.zip"
  rds_ca_bundle_file = "tests/fixtures/rds-global-bundle.pem"
  alarm_emails       = ["ops@example.com", "data-team@example.com"]
}

run "buckets_are_private_encrypted_versioned_and_tls_only" {
  command = apply

  assert {
    condition     = aws_s3_bucket.this["ingestion"].bucket == "terrific-totes-ingestion-123456789012" && aws_s3_bucket.this["processed"].bucket == "terrific-totes-processed-123456789012" && aws_s3_bucket.this["artifacts"].bucket == "terrific-totes-artifacts-123456789012" && aws_s3_bucket.this["athena_results"].bucket == "terrific-totes-athena-results-123456789012"
    error_message = "Expected the ingestion, processed, artifacts and Athena results buckets, named with the account id."
  }

  assert {
    condition = length(aws_s3_bucket_public_access_block.this) == 4 && alltrue([
      for k, b in aws_s3_bucket_public_access_block.this :
      b.bucket == aws_s3_bucket.this[k].id && b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets
    ])
    error_message = "Every bucket must block all four kinds of public access."
  }

  assert {
    condition = length(aws_s3_bucket_server_side_encryption_configuration.this) == 4 && alltrue([
      for k, c in aws_s3_bucket_server_side_encryption_configuration.this :
      c.bucket == aws_s3_bucket.this[k].id && alltrue([
        for r in c.rule : alltrue([for d in r.apply_server_side_encryption_by_default : d.sse_algorithm == "AES256"])
      ])
    ])
    error_message = "Every bucket must have default encryption on."
  }

  assert {
    condition = length(aws_s3_bucket_versioning.this) == 4 && alltrue([
      for k, v in aws_s3_bucket_versioning.this :
      v.bucket == aws_s3_bucket.this[k].id && alltrue([for c in v.versioning_configuration : c.status == "Enabled"])
    ])
    error_message = "Every bucket must have versioning enabled."
  }

  assert {
    condition = alltrue([
      for k, o in aws_s3_bucket_ownership_controls.this : alltrue([for r in o.rule : r.object_ownership == "BucketOwnerEnforced"])
    ])
    error_message = "ACLs must be disabled (BucketOwnerEnforced) on every bucket."
  }

  assert {
    condition = length(aws_s3_bucket_policy.tls_only) == 4 && alltrue([
      for k, p in aws_s3_bucket_policy.tls_only : p.bucket == aws_s3_bucket.this[k].id && anytrue([
        for s in jsondecode(p.policy).Statement :
        s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false" && toset(s.Resource) == toset(["arn:aws:s3:::${aws_s3_bucket.this[k].bucket}", "arn:aws:s3:::${aws_s3_bucket.this[k].bucket}/*"])
      ])
    ])
    error_message = "Every bucket policy must deny all requests that are not over TLS, on the bucket and its objects."
  }

  assert {
    condition = alltrue(flatten([
      for p in aws_s3_bucket_policy.tls_only : [for s in jsondecode(p.policy).Statement : s.Effect == "Deny"]
    ]))
    error_message = "No bucket policy may allow anything (no public or cross-account grants)."
  }

  assert {
    condition     = toset(keys(aws_s3_bucket_notification.eventbridge)) == toset(["ingestion", "processed"]) && alltrue([for k, n in aws_s3_bucket_notification.eventbridge : n.eventbridge && n.bucket == aws_s3_bucket.this[k].id])
    error_message = "EventBridge notifications must be on for the ingestion and processed buckets (and only those)."
  }

  assert {
    condition     = aws_sqs_queue.dlq.sqs_managed_sse_enabled && anytrue([for s in jsondecode(aws_sqs_queue_policy.dlq.policy).Statement : s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "The dead-letter queue must be encrypted and TLS-only."
  }
}

run "each_role_is_scoped_to_its_own_buckets_prefixes_and_secret" {
  command = apply

  # The complete, exact set of (action, resource) grants of each role. Any new grant must be added here on purpose.
  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.fn["ingest"].policy).Statement : [for a in s.Action : [for r in s.Resource : "${a} ${r}"]]
      ])) == toset(concat(
      ["s3:ListBucket arn:aws:s3:::terrific-totes-ingestion-123456789012"],
      flatten([
        for p in [
          "address/", "counterparty/", "currency/", "department/", "design/", "payment/", "payment_type/",
          "purchase_order/", "sales_order/", "staff/", "transaction/", "_manifests/ingest/", "_state/ingest/",
          ] : [
          for a in ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"] :
          "${a} arn:aws:s3:::terrific-totes-ingestion-123456789012/${p}*"
        ]
      ]),
      [
        "secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-2:123456789012:secret:terrific-totes/totesys-db-AbC123",
        "logs:CreateLogStream arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-ingest:*",
        "logs:PutLogEvents arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-ingest:*",
        "sqs:SendMessage arn:aws:sqs:eu-west-2:123456789012:terrific-totes-dlq",
      ],
    ))
    error_message = "The ingest role must be able to read and write only its prefixes of the ingestion bucket, read only the ToteSys secret, and write only its own logs and the DLQ."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.fn["transform"].policy).Statement : [for a in s.Action : [for r in s.Resource : "${a} ${r}"]]
      ])) == toset(concat(
      [
        "s3:ListBucket arn:aws:s3:::terrific-totes-ingestion-123456789012",
        "s3:ListBucket arn:aws:s3:::terrific-totes-processed-123456789012",
      ],
      [
        for p in [
          "address/", "counterparty/", "currency/", "department/", "design/", "payment/", "payment_type/",
          "purchase_order/", "sales_order/", "staff/", "transaction/", "_manifests/ingest/",
        ] : "s3:GetObject arn:aws:s3:::terrific-totes-ingestion-123456789012/${p}*"
      ],
      flatten([
        for p in [
          "dim_counterparty/", "dim_currency/", "dim_date/", "dim_design/", "dim_location/", "dim_payment_type/",
          "dim_staff/", "dim_transaction/", "fact_payment/", "fact_purchase_order/", "fact_sales_order/",
          "_manifests/transform/", "_state/transform/", "_quarantine/",
          ] : [
          for a in ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"] :
          "${a} arn:aws:s3:::terrific-totes-processed-123456789012/${p}*"
        ]
      ]),
      [
        "logs:CreateLogStream arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-transform:*",
        "logs:PutLogEvents arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-transform:*",
        "sqs:SendMessage arn:aws:sqs:eu-west-2:123456789012:terrific-totes-dlq",
      ],
    ))
    error_message = "The transform role must only read the ingestion zone, read and write its prefixes of the processed zone, and read no secret."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.fn["load"].policy).Statement : [for a in s.Action : [for r in s.Resource : "${a} ${r}"]]
      ])) == toset(concat(
      ["s3:ListBucket arn:aws:s3:::terrific-totes-processed-123456789012"],
      [
        for p in [
          "dim_counterparty/", "dim_currency/", "dim_date/", "dim_design/", "dim_location/", "dim_payment_type/",
          "dim_staff/", "dim_transaction/", "fact_payment/", "fact_purchase_order/", "fact_sales_order/",
          "_manifests/transform/",
        ] : "s3:GetObject arn:aws:s3:::terrific-totes-processed-123456789012/${p}*"
      ],
      [
        "secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-2:123456789012:secret:terrific-totes/warehouse-db-XyZ789",
        "logs:CreateLogStream arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-load:*",
        "logs:PutLogEvents arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-load:*",
        "sqs:SendMessage arn:aws:sqs:eu-west-2:123456789012:terrific-totes-dlq",
      ],
    ))
    error_message = "The load role must only read the processed zone and the warehouse secret (no S3 writes)."
  }

  assert {
    condition = alltrue(flatten([
      for fn, p in aws_iam_role_policy.fn : [
        for s in jsondecode(p.policy).Statement :
        s.Effect == "Allow" && !contains(keys(s), "NotAction") && !contains(keys(s), "NotResource") && alltrue([for a in s.Action : !strcontains(a, "*")]) && alltrue([for r in s.Resource : r != "*"])
      ]
    ]))
    error_message = "No role may use wildcard actions, Resource \"*\", NotAction or NotResource."
  }

  assert {
    condition = alltrue([
      for fn, r in aws_iam_role.fn :
      jsondecode(r.assume_role_policy).Statement[0].Principal == { Service = "lambda.amazonaws.com" } && length(jsondecode(r.assume_role_policy).Statement) == 1 && jsondecode(r.assume_role_policy).Statement[0].Action == "sts:AssumeRole" && r.name == "terrific-totes-${fn}-lambda" && aws_iam_role_policy.fn[fn].role == r.id
    ])
    error_message = "Each function must have its own role, assumable only by the Lambda service."
  }

  assert {
    condition     = alltrue([for fn, f in aws_lambda_function.fn : f.role == aws_iam_role.fn[fn].arn])
    error_message = "Each function must run under its own role."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.vpc_access) == 0
    error_message = "Without a VPC no managed (wildcard) policy may be attached."
  }
}

run "schedule_rules_and_triggers" {
  command = apply

  assert {
    condition     = aws_cloudwatch_event_rule.ingest_schedule.schedule_expression == "rate(5 minutes)" && aws_cloudwatch_event_rule.ingest_schedule.state == "ENABLED"
    error_message = "Ingest must be scheduled every 5 minutes by default."
  }

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.manifest["transform"].event_pattern) == {
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail = {
        bucket = { name = [aws_s3_bucket.this["ingestion"].bucket] }
        object = { key = [{ prefix = "_manifests/ingest/" }] }
      }
    }
    error_message = "The transform rule must match Object Created events of the ingestion bucket under _manifests/ingest/ only."
  }

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.manifest["load"].event_pattern) == {
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail = {
        bucket = { name = [aws_s3_bucket.this["processed"].bucket] }
        object = { key = [{ prefix = "_manifests/transform/" }] }
      }
    }
    error_message = "The load rule must match Object Created events of the processed bucket under _manifests/transform/ only."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.fn["ingest"].rule == aws_cloudwatch_event_rule.ingest_schedule.name &&
      aws_cloudwatch_event_target.fn["transform"].rule == aws_cloudwatch_event_rule.manifest["transform"].name &&
      aws_cloudwatch_event_target.fn["load"].rule == aws_cloudwatch_event_rule.manifest["load"].name &&
      alltrue([for fn, t in aws_cloudwatch_event_target.fn : t.arn == aws_lambda_function.fn[fn].arn])
    )
    error_message = "schedule → ingest, ingest manifests → transform, transform manifests → load."
  }

  assert {
    condition = (
      aws_lambda_permission.events["ingest"].source_arn == "arn:aws:events:eu-west-2:123456789012:rule/${aws_cloudwatch_event_rule.ingest_schedule.name}" &&
      aws_lambda_permission.events["transform"].source_arn == "arn:aws:events:eu-west-2:123456789012:rule/${aws_cloudwatch_event_rule.manifest["transform"].name}" &&
      aws_lambda_permission.events["load"].source_arn == "arn:aws:events:eu-west-2:123456789012:rule/${aws_cloudwatch_event_rule.manifest["load"].name}" &&
      alltrue([
        for fn, p in aws_lambda_permission.events :
        p.principal == "events.amazonaws.com" && p.action == "lambda:InvokeFunction" && p.function_name == aws_lambda_function.fn[fn].function_name
      ])
    )
    error_message = "Each function may be invoked by EventBridge only through its own rule."
  }

  assert {
    condition     = alltrue([for t in aws_cloudwatch_event_target.fn : alltrue([for d in t.dead_letter_config : d.arn == aws_sqs_queue.dlq.arn])])
    error_message = "Events EventBridge cannot deliver must go to the dead-letter queue."
  }
}

run "functions_layer_retries_and_environment" {
  command = apply

  assert {
    condition = alltrue([
      for fn, f in aws_lambda_function.fn :
      f.runtime == "provided.al2023" && f.architectures == tolist(["x86_64"]) && f.layers == tolist([aws_lambda_layer_version.deno[0].arn]) && f.s3_bucket == aws_s3_object.function[fn].bucket && f.s3_key == "lambda/${fn}.zip"
    ])
    error_message = "The functions must run the custom runtime from the artifacts bucket with the deno layer."
  }

  assert {
    condition     = aws_lambda_layer_version.deno[0].compatible_runtimes == toset(["provided.al2023"]) && aws_s3_object.deno_layer[0].key == "lambda/deno-layer.zip"
    error_message = "The deno layer must be built for provided.al2023 from the artifacts bucket."
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.reserved_concurrent_executions == -1])
    error_message = "No function may reserve concurrency by default (accounts with a low quota reject any reservation)."
  }

  assert {
    condition = alltrue([
      for fn in ["ingest", "load"] :
      aws_lambda_function.fn[fn].environment[0].variables["DATABASE_SSLMODE"] == "verify-full" && aws_lambda_function.fn[fn].environment[0].variables["DATABASE_CA_BUNDLE"] == "rds-global"
    ]) && !contains(keys(aws_lambda_function.fn["transform"].environment[0].variables), "DATABASE_SSLMODE")
    error_message = "The functions that connect to a database must verify its certificate (verify-full, RDS bundle) by default."
  }

  assert {
    condition = (
      aws_lambda_function.fn["ingest"].memory_size == 1024 && aws_lambda_function.fn["transform"].memory_size == 2048 &&
      aws_lambda_function.fn["ingest"].timeout == 300 && aws_lambda_function.fn["load"].timeout == 600
    )
    error_message = "Memory and timeout must follow the variables' defaults."
  }

  assert {
    condition = alltrue([
      for fn, c in aws_lambda_function_event_invoke_config.fn :
      c.function_name == aws_lambda_function.fn[fn].function_name && c.maximum_retry_attempts == 2 && c.maximum_event_age_in_seconds == 3600 && alltrue([
        for d in c.destination_config : alltrue([for f in d.on_failure : f.destination == aws_sqs_queue.dlq.arn])
      ])
    ])
    error_message = "Each function must retry failed async invocations twice, then send them to the DLQ."
  }

  assert {
    condition = (
      aws_lambda_function.fn["ingest"].environment[0].variables["TOTESYS_SECRET_ARN"] == aws_secretsmanager_secret.totesys.arn &&
      !contains(keys(aws_lambda_function.fn["ingest"].environment[0].variables), "WAREHOUSE_SECRET_ARN") &&
      aws_lambda_function.fn["load"].environment[0].variables["WAREHOUSE_SECRET_ARN"] == aws_secretsmanager_secret.warehouse.arn &&
      !contains(keys(aws_lambda_function.fn["load"].environment[0].variables), "TOTESYS_SECRET_ARN") &&
      aws_lambda_function.fn["ingest"].environment[0].variables["INGEST_MAX_DELETE_SHARE"] == "0.1" &&
      aws_lambda_function.fn["transform"].environment[0].variables["TRANSFORM_BAD_ROWS"] == "fail" &&
      alltrue([for f in aws_lambda_function.fn : f.environment[0].variables["INGESTION_BUCKET"] == aws_s3_bucket.this["ingestion"].bucket && f.environment[0].variables["PROCESSED_BUCKET"] == aws_s3_bucket.this["processed"].bucket])
    )
    error_message = "Each function must get its buckets and only its own secret's ARN."
  }

  assert {
    condition = alltrue(flatten([
      for f in aws_lambda_function.fn : [
        for k, v in f.environment[0].variables : !strcontains(lower(v), "postgres://") && !strcontains(lower(k), "password")
      ]
    ]))
    error_message = "No credential may be put in a function's environment: the secrets hold them."
  }

  assert {
    condition     = aws_secretsmanager_secret.totesys.name == "terrific-totes/totesys-db" && aws_secretsmanager_secret.warehouse.name == "terrific-totes/warehouse-db" && output.secret_arns == { totesys = aws_secretsmanager_secret.totesys.arn, warehouse = aws_secretsmanager_secret.warehouse.arn }
    error_message = "The two database secrets must exist (without values) and only their ARNs may be output."
  }
}

run "logs_alarms_and_notifications" {
  command = apply

  assert {
    condition = alltrue([
      for fn, g in aws_cloudwatch_log_group.fn :
      g.retention_in_days == 30 && g.name == "/aws/lambda/terrific-totes-${fn}" && aws_lambda_function.fn[fn].logging_config[0].log_group == g.name
    ])
    error_message = "Each function must log to its own log group with a retention."
  }

  assert {
    condition = length(aws_cloudwatch_metric_alarm.errors) == 4 && alltrue([
      for fn, a in aws_cloudwatch_metric_alarm.errors :
      a.namespace == "AWS/Lambda" && a.metric_name == "Errors" && a.dimensions.FunctionName == aws_lambda_function.fn[fn].function_name && a.threshold == 1 && a.alarm_actions == toset([aws_sns_topic.alarms.arn])
    ])
    error_message = "Each function must have an Errors alarm that notifies the topic."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.duration["ingest"].threshold == 240000 &&
      aws_cloudwatch_metric_alarm.duration["transform"].threshold == 480000 &&
      aws_cloudwatch_metric_alarm.duration["load"].threshold == 480000 &&
      alltrue([for a in aws_cloudwatch_metric_alarm.duration : a.metric_name == "Duration" && a.statistic == "Maximum" && a.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    )
    error_message = "Each function must have a Duration alarm at 80% of its timeout."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.dlq.namespace == "AWS/SQS" && aws_cloudwatch_metric_alarm.dlq.metric_name == "ApproximateNumberOfMessagesVisible" && aws_cloudwatch_metric_alarm.dlq.dimensions.QueueName == aws_sqs_queue.dlq.name && aws_cloudwatch_metric_alarm.dlq.alarm_actions == toset([aws_sns_topic.alarms.arn])
    error_message = "There must be an alarm on messages in the dead-letter queue."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.no_successful_load.treat_missing_data == "breaching" &&
      aws_cloudwatch_metric_alarm.no_successful_load.comparison_operator == "LessThanThreshold" &&
      aws_cloudwatch_metric_alarm.no_successful_load.threshold == 1 &&
      alltrue([
        for q in aws_cloudwatch_metric_alarm.no_successful_load.metric_query : alltrue([
          for m in q.metric : m.period == 3600 && m.dimensions.FunctionName == aws_lambda_function.fn["load"].function_name
        ])
      ]) &&
      aws_cloudwatch_metric_alarm.no_successful_load.alarm_actions == toset([aws_sns_topic.alarms.arn])
    )
    error_message = "There must be a 'no successful load for 60 minutes' alarm over the load function's metrics, breaching on missing data."
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.rule_failed_invocations) == 4
    error_message = "Each EventBridge rule must have a FailedInvocations alarm."
  }

  assert {
    condition     = toset([for s in aws_sns_topic_subscription.email : s.endpoint]) == toset(["ops@example.com", "data-team@example.com"]) && alltrue([for s in aws_sns_topic_subscription.email : s.protocol == "email" && s.topic_arn == aws_sns_topic.alarms.arn])
    error_message = "Each alarm email must be subscribed to the alarm topic."
  }
}

run "schedule_is_a_variable_and_can_be_paused" {
  command = plan

  variables {
    ingest_schedule_expression = "rate(15 minutes)"
    schedule_enabled           = false
  }

  assert {
    condition     = aws_cloudwatch_event_rule.ingest_schedule.schedule_expression == "rate(15 minutes)" && aws_cloudwatch_event_rule.ingest_schedule.state == "DISABLED"
    error_message = "The schedule must follow ingest_schedule_expression and schedule_enabled."
  }
}

run "ingest_reserved_concurrency_is_optional" {
  command = plan

  variables {
    ingest_reserved_concurrency = 1
  }

  assert {
    condition     = aws_lambda_function.fn["ingest"].reserved_concurrent_executions == 1 && aws_lambda_function.fn["transform"].reserved_concurrent_executions == -1 && aws_lambda_function.fn["load"].reserved_concurrent_executions == -1
    error_message = "ingest_reserved_concurrency must reserve concurrency for ingest only."
  }
}

run "rejects_a_zero_reserved_concurrency" {
  command = plan
  variables {
    ingest_reserved_concurrency = 0
  }
  expect_failures = [var.ingest_reserved_concurrency]
}

run "rejects_an_unknown_ssl_mode" {
  command = plan
  variables {
    database_ssl_mode = "prefer"
  }
  expect_failures = [var.database_ssl_mode]
}

run "plan_stops_when_the_rds_bundle_is_missing_and_verification_uses_it" {
  command = plan
  variables {
    rds_ca_bundle_file = "tests/fixtures/no-such-bundle.pem"
  }
  expect_failures = [aws_lambda_function.fn]
}

run "the_rds_bundle_is_not_needed_with_another_ca_or_without_verification" {
  command = plan
  variables {
    rds_ca_bundle_file = "tests/fixtures/no-such-bundle.pem"
    database_ca_bundle = "system"
  }
  assert {
    condition     = aws_lambda_function.fn["load"].environment[0].variables["DATABASE_CA_BUNDLE"] == "system"
    error_message = "With database_ca_bundle = system the RDS bundle file is not needed."
  }
}

run "localstack_mode_embeds_deno_instead_of_a_layer" {
  command = plan

  variables {
    use_deno_layer        = false
    force_destroy_buckets = true
    extra_environment     = { AWS_ENDPOINT_URL = "http://localhost.localstack.cloud:4566" }
  }

  assert {
    condition     = length(aws_lambda_layer_version.deno) == 0 && alltrue([for f in aws_lambda_function.fn : length(f.layers) == 0 && f.environment[0].variables["AWS_ENDPOINT_URL"] == "http://localhost.localstack.cloud:4566"])
    error_message = "Without the layer no function may reference one."
  }
}

run "vpc_mode_adds_only_the_vpc_access_policy" {
  command = plan

  variables {
    vpc_subnet_ids         = ["subnet-0123456789abcdef0"]
    vpc_security_group_ids = ["sg-0123456789abcdef0"]
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.vpc_access) == 4 && alltrue([for f in aws_lambda_function.fn : f.vpc_config[0].subnet_ids == toset(["subnet-0123456789abcdef0"])])
    error_message = "In a VPC each function must get the VPC config and the ENI policy."
  }
}

run "rejects_a_bad_schedule_expression" {
  command = plan
  variables {
    ingest_schedule_expression = "every 5 minutes"
  }
  expect_failures = [var.ingest_schedule_expression]
}

run "rejects_a_bad_alarm_email" {
  command = plan
  variables {
    alarm_emails = ["not-an-email"]
  }
  expect_failures = [var.alarm_emails]
}

run "rejects_a_timeout_over_lambdas_limit" {
  command = plan
  variables {
    lambda_timeout_seconds = { ingest = 300, transform = 901, load = 600, reconcile = 600 }
  }
  expect_failures = [var.lambda_timeout_seconds]
}

run "rejects_memory_sizes_missing_a_function" {
  command = plan
  variables {
    lambda_memory_mb = { ingest = 1024, transform = 2048 }
  }
  expect_failures = [var.lambda_memory_mb]
}

run "rejects_an_unknown_bad_row_policy" {
  command = plan
  variables {
    transform_bad_rows = "skip"
  }
  expect_failures = [var.transform_bad_rows]
}

run "rejects_subnets_without_security_groups" {
  command = plan
  variables {
    vpc_subnet_ids = ["subnet-0123456789abcdef0"]
  }
  expect_failures = [var.vpc_security_group_ids]
}

run "rejects_reserved_or_secret_environment_names" {
  command = plan
  variables {
    extra_environment = { WAREHOUSE_DATABASE_URL = "postgres://user:pw@host/db" }
  }
  expect_failures = [var.extra_environment]
}

run "rejects_a_bad_no_load_period" {
  command = plan
  variables {
    no_load_alarm_minutes = 5
  }
  expect_failures = [var.no_load_alarm_minutes]
}

run "reconcile_runs_hourly_compares_only_and_alarms_on_lasting_differences" {
  command = plan

  assert {
    condition     = aws_cloudwatch_event_rule.reconcile_schedule.schedule_expression == "rate(1 hour)"
    error_message = "reconcile runs hourly by default"
  }
  assert {
    condition     = aws_cloudwatch_event_target.fn["reconcile"].rule == "terrific-totes-reconcile-schedule"
    error_message = "the reconcile schedule invokes the reconcile function"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.reconcile_differences.namespace == "TerrificTotes" &&
      aws_cloudwatch_metric_alarm.reconcile_differences.metric_name == "ReconcileDifferences" &&
      aws_cloudwatch_metric_alarm.reconcile_differences.dimensions["Table"] == "all" &&
      aws_cloudwatch_metric_alarm.reconcile_differences.threshold == 0 &&
      aws_cloudwatch_metric_alarm.reconcile_differences.comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.reconcile_differences.evaluation_periods == 2
    )
    error_message = "the alarm fires when the differences stay above zero for two hourly runs"
  }
  assert {
    condition = (
      !strcontains(aws_iam_role_policy.fn["reconcile"].policy, "s3:") &&
      strcontains(aws_iam_role_policy.fn["reconcile"].policy, "secretsmanager:GetSecretValue")
    )
    error_message = "reconcile reads the two secrets and nothing in S3"
  }
  assert {
    condition = (
      contains(keys(aws_lambda_function.fn["reconcile"].environment[0].variables), "TOTESYS_SECRET_ARN") &&
      contains(keys(aws_lambda_function.fn["reconcile"].environment[0].variables), "WAREHOUSE_SECRET_ARN")
    )
    error_message = "reconcile knows both databases"
  }
}

run "lake_glue_tables_follow_the_contract" {
  command = apply

  # The Glue table of every warehouse table, named as in the contract (lib/contract/warehouse.ts).
  assert {
    condition = toset(keys(aws_glue_catalog_table.lake)) == toset([
      "dim_counterparty", "dim_currency", "dim_date", "dim_design", "dim_location", "dim_payment_type", "dim_staff",
      "dim_transaction", "fact_payment", "fact_purchase_order", "fact_sales_order",
    ]) && alltrue([for t in aws_glue_catalog_table.lake : t.database_name == "terrific_totes_lake" && t.table_type == "EXTERNAL_TABLE"])
    error_message = "The lake database must hold one external table per warehouse table."
  }

  # Every column, in file order, with the Glue type of its Parquet type, exactly as contract.tf.json (generated from
  # the contract by deno task tf-gen; tests/deploy/tf_contract_test.ts checks that file against lib/contract/).
  assert {
    condition = alltrue([
      for name, t in aws_glue_catalog_table.lake :
      [for c in t.storage_descriptor[0].columns : { name = c.name, type = c.type }] == [for c in local.lake_columns[name] : { name = c.name, type = c.type }]
    ])
    error_message = "The Glue columns must be the generated contract columns (terraform/contract.tf.json), in order."
  }

  # One table spelled out: each Parquet type's Glue type (decimal(12,2) money, date32 date, time64us bigint).
  assert {
    condition = [for c in aws_glue_catalog_table.lake["fact_sales_order"].storage_descriptor[0].columns : "${c.name} ${c.type}"] == [
      "sales_order_id int", "created_date date", "created_time bigint", "last_updated_date date",
      "last_updated_time bigint", "sales_staff_id int", "counterparty_id int", "units_sold int",
      "unit_price decimal(12,2)", "currency_id int", "design_id int", "agreed_payment_date date",
      "agreed_delivery_date date", "agreed_delivery_location_id int",
    ]
    error_message = "fact_sales_order's Glue columns must be its Parquet columns with their Glue types."
  }

  assert {
    condition = (
      [for c in aws_glue_catalog_table.lake["fact_payment"].storage_descriptor[0].columns : c.type if c.name == "paid"] == ["boolean"] &&
      [for c in aws_glue_catalog_table.lake["dim_location"].storage_descriptor[0].columns : c.type if c.name == "source_last_updated"] == ["timestamp"] &&
      [for c in aws_glue_catalog_table.lake["dim_location"].storage_descriptor[0].columns : c.type if c.name == "address_line_2"] == ["string"] &&
      alltrue([for c in aws_glue_catalog_table.lake["fact_payment"].storage_descriptor[0].columns : strcontains(c.comment, "microseconds since midnight") if c.type == "bigint"])
    )
    error_message = "bool must be boolean, timestamp_us timestamp, utf8 string, and each time-of-day bigint must say so in its comment."
  }

  # Partition projection on the date in the key: <table>/<yyyy>/<mm>/<dd>/<run_id>.parquet, no crawler.
  assert {
    condition = alltrue([
      for name, t in aws_glue_catalog_table.lake :
      t.parameters["projection.enabled"] == "true" && t.parameters["projection.run_date.type"] == "date" &&
      t.parameters["projection.run_date.format"] == "yyyy/MM/dd" && t.parameters["projection.run_date.range"] == "2026/01/01,NOW" &&
      t.parameters["projection.run_date.interval.unit"] == "DAYS" &&
      t.parameters["storage.location.template"] == "s3://terrific-totes-processed-123456789012/${name}/$${run_date}/" &&
      t.storage_descriptor[0].location == "s3://terrific-totes-processed-123456789012/${name}/" &&
      t.storage_descriptor[0].ser_de_info[0].serialization_library == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" &&
      [for k in t.partition_keys : "${k.name} ${k.type}"] == ["run_date string"]
    ])
    error_message = "Each table must be Parquet under its own prefix, partitioned by run_date through partition projection."
  }

  assert {
    condition = (
      aws_athena_workgroup.lake[0].name == "terrific-totes-lake" &&
      aws_athena_workgroup.lake[0].configuration[0].enforce_workgroup_configuration &&
      aws_athena_workgroup.lake[0].configuration[0].bytes_scanned_cutoff_per_query == 10737418240 &&
      aws_athena_workgroup.lake[0].configuration[0].result_configuration[0].output_location == "s3://terrific-totes-athena-results-123456789012/" &&
      aws_athena_workgroup.lake[0].configuration[0].result_configuration[0].encryption_configuration[0].encryption_option == "SSE_S3"
    )
    error_message = "The workgroup must enforce encrypted results in its own bucket and a scan limit."
  }

  # The reader policy's complete, exact grants.
  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_policy.lake_reader[0].policy).Statement : [for a in s.Action : [for r in s.Resource : "${a} ${r}"]]
      ])) == toset(concat(
      [
        for a in ["athena:GetWorkGroup", "athena:StartQueryExecution", "athena:StopQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"] :
        "${a} arn:aws:athena:eu-west-2:123456789012:workgroup/terrific-totes-lake"
      ],
      flatten([
        for a in ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"] : concat(
          ["${a} arn:aws:glue:eu-west-2:123456789012:catalog", "${a} arn:aws:glue:eu-west-2:123456789012:database/terrific_totes_lake"],
          [for t in keys(aws_glue_catalog_table.lake) : "${a} arn:aws:glue:eu-west-2:123456789012:table/terrific_totes_lake/${t}"],
        )
      ]),
      [
        "s3:ListBucket arn:aws:s3:::terrific-totes-processed-123456789012",
        "s3:GetBucketLocation arn:aws:s3:::terrific-totes-processed-123456789012",
        "s3:GetBucketLocation arn:aws:s3:::terrific-totes-athena-results-123456789012",
        "s3:ListBucket arn:aws:s3:::terrific-totes-athena-results-123456789012",
      ],
      [for t in keys(aws_glue_catalog_table.lake) : "s3:GetObject arn:aws:s3:::terrific-totes-processed-123456789012/${t}/*"],
      [for a in ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"] : "${a} arn:aws:s3:::terrific-totes-athena-results-123456789012/*"],
    ))
    error_message = "The lake reader may only query through the lake workgroup, read the lake catalog and the warehouse tables' files, and use the results bucket."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_policy.lake_reader[0].policy).Statement :
      s.Effect == "Allow" && alltrue([for a in s.Action : !strcontains(a, "*")]) && alltrue([for r in s.Resource : r != "*" && r != ""])
      ]) && anytrue([
      for s in jsondecode(aws_iam_policy.lake_reader[0].policy).Statement :
      s.Resource == ["arn:aws:s3:::terrific-totes-processed-123456789012"] && toset(try(s.Condition.StringLike["s3:prefix"], [])) == toset([for t in keys(aws_glue_catalog_table.lake) : "${t}/*"])
    ])
    error_message = "The reader policy must use no wildcard action or resource, and list the processed bucket under the table prefixes only."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.lake_reader) == 0 && output.lake.glue_database == "terrific_totes_lake" && output.lake.athena_workgroup == "terrific-totes-lake"
    error_message = "The reader policy is attached to no role unless asked; the outputs name the lake."
  }
}

run "lake_can_be_turned_off_for_localstack" {
  command = plan

  variables {
    lake_query_enabled = false
  }

  assert {
    condition     = length(aws_glue_catalog_table.lake) == 0 && length(aws_athena_workgroup.lake) == 0 && length(aws_iam_policy.lake_reader) == 0 && !contains(keys(aws_s3_bucket.this), "athena_results")
    error_message = "Without the lake there must be no catalog, workgroup, reader policy or results bucket."
  }
}

run "lake_reader_policy_can_be_attached_to_named_roles" {
  command = apply

  variables {
    lake_reader_role_names = ["analysts"]
  }

  assert {
    condition     = [for a in aws_iam_role_policy_attachment.lake_reader : a.role] == ["analysts"]
    error_message = "lake_reader_role_names must get the reader policy."
  }
}

run "rejects_a_bad_lake_partition_start" {
  command = plan
  variables {
    lake_partition_start = "2026-01-01"
  }
  expect_failures = [var.lake_partition_start]
}

run "freshness_and_quarantine_alarms" {
  command = apply

  variables {
    freshness_alarm_tables  = ["sales_order", "payment"]
    freshness_alarm_seconds = 7200
  }

  assert {
    condition = length(aws_cloudwatch_metric_alarm.freshness) == 2 && alltrue([
      for t, a in aws_cloudwatch_metric_alarm.freshness :
      a.namespace == "TerrificTotes" && a.metric_name == "FreshnessSeconds" && a.dimensions.Stage == "ingest" && a.dimensions.Table == t && a.threshold == 7200 && a.comparison_operator == "GreaterThanThreshold" && a.treat_missing_data == "breaching" && a.alarm_actions == toset([aws_sns_topic.alarms.arn]) && a.ok_actions == toset([aws_sns_topic.alarms.arn])
    ])
    error_message = "Each watched table must have a freshness alarm on the ingest's FreshnessSeconds, breaching when the ingest stops reporting."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.freshness["sales_order"].alarm_name == "terrific-totes-freshness-sales_order"
    error_message = "Freshness alarms are named after their table."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.quarantined_rows.namespace == "TerrificTotes" && aws_cloudwatch_metric_alarm.quarantined_rows.metric_name == "QuarantinedRows" && aws_cloudwatch_metric_alarm.quarantined_rows.dimensions.Stage == "transform" && aws_cloudwatch_metric_alarm.quarantined_rows.statistic == "Sum" && aws_cloudwatch_metric_alarm.quarantined_rows.threshold == 1 && aws_cloudwatch_metric_alarm.quarantined_rows.comparison_operator == "GreaterThanOrEqualToThreshold" && aws_cloudwatch_metric_alarm.quarantined_rows.alarm_actions == toset([aws_sns_topic.alarms.arn])
    error_message = "There must be an alarm on any quarantined row, on the transform's QuarantinedRows."
  }
}

run "freshness_alarms_only_for_the_tables_named" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.freshness) == 0 && var.freshness_alarm_seconds == 93600
    error_message = "Without freshness_alarm_tables there is no freshness alarm; the threshold defaults to 26 hours."
  }
}

run "freshness_alarm_refuses_unknown_tables" {
  command = plan

  variables {
    freshness_alarm_tables = ["sales_orders"]
  }

  expect_failures = [var.freshness_alarm_tables]
}
