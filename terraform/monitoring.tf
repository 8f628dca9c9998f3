# Alarms, all sent to one SNS topic (email subscriptions from var.alarm_emails), on alarm and on recovery:
#
#   <fn>-errors             any failed invocation of a function in 5 minutes (Lambda retries it: a persistent
#                           failure also ends in the dead-letter queue)
#   <fn>-duration-near-timeout  an invocation ran longer than duration_alarm_ratio (80%) of the timeout: the next
#                           data growth will time it out
#   dlq-messages            an event gave up after all retries and sits in the dead-letter queue
#   <fn>-rule-failed-invocations  EventBridge could not invoke the function (permissions, throttling)
#   no-successful-load      no load invocation completed without error for no_load_alarm_minutes
#
# "No successful load": metric math over the load function's own metrics, successes = Invocations - Errors
# summed over one period of no_load_alarm_minutes; the alarm fires when that is below 1. Missing data (no
# invocation at all in the period) counts as breaching: a stalled schedule, a broken ingest or transform, a lost
# trigger, or a failing load all end here, whatever stage stopped. A source with no changes for that long (no new
# manifests, so no load) also fires it: choose the period longer than the quietest normal gap in ToteSys.

resource "aws_sns_topic" "alarms" {
  name = "${var.name_prefix}-alarms"
  # Not KMS-encrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key; use a
  # customer-managed key that grants cloudwatch.amazonaws.com kms:Decrypt/GenerateDataKey to encrypt it.
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  alarm_actions = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-errors"
  alarm_description   = "The ${each.key} function failed at least once in 5 minutes: see log group ${aws_cloudwatch_log_group.fn[each.key].name}"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "duration" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-duration-near-timeout"
  alarm_description   = "An invocation of ${each.key} took over ${floor(var.duration_alarm_ratio * 100)}% of its ${var.lambda_timeout_seconds[each.key]} s timeout: raise the timeout or memory before it times out"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = floor(var.lambda_timeout_seconds[each.key] * 1000 * var.duration_alarm_ratio)
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "dlq" {
  alarm_name          = "${var.name_prefix}-dlq-messages"
  alarm_description   = "Events gave up after all retries and wait in ${aws_sqs_queue.dlq.name}: read them, fix the cause, replay"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "rule_failed_invocations" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-rule-failed-invocations"
  alarm_description   = "EventBridge rule ${local.rules[each.key].name} could not invoke the ${each.key} function"
  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = { RuleName = local.rules[each.key].name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "no_successful_load" {
  alarm_name          = "${var.name_prefix}-no-successful-load"
  alarm_description   = "No load completed without error in ${var.no_load_alarm_minutes} minutes: the warehouse is going stale (check every stage's errors and the DLQ)"
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "successes"
    expression  = "invocations - FILL(errors, 0)"
    label       = "Successful loads"
    return_data = true
  }

  metric_query {
    id = "invocations"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Invocations"
      dimensions  = { FunctionName = aws_lambda_function.fn["load"].function_name }
      stat        = "Sum"
      period      = var.no_load_alarm_minutes * 60
    }
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = aws_lambda_function.fn["load"].function_name }
      stat        = "Sum"
      period      = var.no_load_alarm_minutes * 60
    }
  }
}

# Reconcile publishes the differing keys (embedded metric format, main/reconcile.ts). A difference the next runs
# carry is normal for one period; one that stays is a defect: the alarm fires after reconcile_alarm_periods.
resource "aws_cloudwatch_metric_alarm" "reconcile_differences" {
  alarm_name          = "${var.name_prefix}-reconcile-differences"
  alarm_description   = "The warehouse has differed from ToteSys for ${var.reconcile_alarm_periods} reconcile runs: run `deno task etl reconcile` to see the keys, `--repair` to fix them, and report the cause"
  namespace           = "TerrificTotes"
  metric_name         = "ReconcileDifferences"
  dimensions          = { Table = "all" }
  statistic           = "Minimum"
  period              = 3600
  evaluation_periods  = var.reconcile_alarm_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Freshness (embedded metric format, main/metrics.ts): every ingest invocation, changes or not, publishes per
# source table FreshnessSeconds = now minus the newest last_updated that ToteSys holds (dbt's "source freshness").
# Unlike "no successful load", which fires whenever ToteSys is quiet for no_load_alarm_minutes (no changes, no
# manifest, no load), this one measures the data: it fires when a table watched in freshness_alarm_tables has not
# changed for freshness_alarm_seconds, or when the ingest stopped publishing (missing data is breaching).
resource "aws_cloudwatch_metric_alarm" "freshness" {
  for_each = toset(var.freshness_alarm_tables)

  alarm_name          = "${var.name_prefix}-freshness-${each.key}"
  alarm_description   = "The newest ${each.key} change the ingest saw in ToteSys is older than ${var.freshness_alarm_seconds} s, or the ingest stopped reporting: check the ingest function's errors and ToteSys itself (deno task etl status shows freshness per table)"
  namespace           = "TerrificTotes"
  metric_name         = "FreshnessSeconds"
  dimensions          = { Stage = "ingest", Table = each.key }
  statistic           = "Minimum"
  period              = 900
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.freshness_alarm_seconds
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Quarantined rows (TRANSFORM_BAD_ROWS=quarantine): rows set aside under _quarantine/ instead of stopping the run.
# Any at all means ToteSys holds a row the warehouse cannot take: someone must look at it.
resource "aws_cloudwatch_metric_alarm" "quarantined_rows" {
  alarm_name          = "${var.name_prefix}-quarantined-rows"
  alarm_description   = "The transform set rows aside under _quarantine/ in the processed bucket: deno task etl status lists them; fix them in ToteSys and they flow on the next run"
  namespace           = "TerrificTotes"
  metric_name         = "QuarantinedRows"
  dimensions          = { Stage = "transform" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
