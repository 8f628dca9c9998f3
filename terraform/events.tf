# Scheduling and chaining with classic EventBridge rules on the default bus (they work in AWS and in LocalStack;
# EventBridge Scheduler targets do not fire in LocalStack):
#
#   schedule (rate(5 minutes))                          → ingest
#   Object Created, ingestion bucket, _manifests/ingest/ → transform
#   Object Created, processed bucket, _manifests/transform/ → load
#   schedule (rate(1 hour))                             → reconcile
#
# Only manifests trigger the next stage: data objects and _state/ objects match no rule.

locals {
  manifest_event_patterns = {
    transform = {
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail = {
        bucket = { name = [aws_s3_bucket.this["ingestion"].bucket] }
        object = { key = [{ prefix = local.ingest_manifest_prefix }] }
      }
    }
    load = {
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail = {
        bucket = { name = [aws_s3_bucket.this["processed"].bucket] }
        object = { key = [{ prefix = local.transform_manifest_prefix }] }
      }
    }
  }

  # The rule that invokes each function.
  rules = {
    ingest    = aws_cloudwatch_event_rule.ingest_schedule
    transform = aws_cloudwatch_event_rule.manifest["transform"]
    load      = aws_cloudwatch_event_rule.manifest["load"]
    reconcile = aws_cloudwatch_event_rule.reconcile_schedule
  }
}

resource "aws_cloudwatch_event_rule" "ingest_schedule" {
  name                = local.rule_names["ingest"]
  description         = "Runs the ingest function: ${var.ingest_schedule_expression}"
  schedule_expression = var.ingest_schedule_expression
  state               = var.schedule_enabled ? "ENABLED" : "DISABLED"
}

resource "aws_cloudwatch_event_rule" "reconcile_schedule" {
  name                = local.rule_names["reconcile"]
  description         = "Runs the reconcile function: ${var.reconcile_schedule_expression}"
  schedule_expression = var.reconcile_schedule_expression
  state               = var.schedule_enabled ? "ENABLED" : "DISABLED"
}

resource "aws_cloudwatch_event_rule" "manifest" {
  for_each = local.manifest_event_patterns

  name          = local.rule_names[each.key]
  description   = "Runs the ${each.key} function when a ${each.key == "transform" ? "_manifests/ingest/" : "_manifests/transform/"} object is created"
  event_pattern = jsonencode(each.value)
}

resource "aws_cloudwatch_event_target" "fn" {
  for_each = local.functions

  rule      = local.rules[each.key].name
  target_id = "${each.key}-function"
  arn       = aws_lambda_function.fn[each.key].arn

  # Delivery to Lambda (not the function's own failures, which the async invoke config retries).
  retry_policy {
    maximum_retry_attempts       = 8
    maximum_event_age_in_seconds = var.async_max_event_age_seconds
  }

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }
}

resource "aws_lambda_permission" "events" {
  for_each = local.functions

  statement_id  = "AllowEventBridge-${local.rule_names[each.key]}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  principal     = "events.amazonaws.com"
  source_arn    = local.rule_arns[each.key]
}
