# Names and ARNs only: no secret values exist in this configuration (the secrets are created empty).

output "ingestion_bucket" {
  description = "Ingestion zone bucket (JSON Lines, _manifests/ingest/)."
  value       = aws_s3_bucket.this["ingestion"].bucket
}

output "processed_bucket" {
  description = "Processed zone bucket (Parquet, _manifests/transform/)."
  value       = aws_s3_bucket.this["processed"].bucket
}

output "artifacts_bucket" {
  description = "Bucket holding the deployed function and layer zips."
  value       = aws_s3_bucket.this["artifacts"].bucket
}

output "function_names" {
  description = "Lambda function name of each stage."
  value       = { for fn, f in aws_lambda_function.fn : fn => f.function_name }
}

output "log_groups" {
  description = "CloudWatch log group of each function."
  value       = { for fn, g in aws_cloudwatch_log_group.fn : fn => g.name }
}

output "secret_arns" {
  description = "ARNs of the database secrets to fill with put-secret-value (the ARN, not the value)."
  value = {
    totesys   = aws_secretsmanager_secret.totesys.arn
    warehouse = aws_secretsmanager_secret.warehouse.arn
  }
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue of failed events."
  value       = aws_sqs_queue.dlq.id
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms (subscribe more endpoints to it as needed)."
  value       = aws_sns_topic.alarms.arn
}

output "ingest_schedule_rule" {
  description = "Name of the EventBridge rule that schedules ingest (disable it to pause the pipeline)."
  value       = aws_cloudwatch_event_rule.ingest_schedule.name
}

output "lake" {
  description = "The queryable lake: Glue database, Athena workgroup, results bucket and the reader policy's ARN (null when lake_query_enabled is false)."
  value = var.lake_query_enabled ? {
    glue_database     = aws_glue_catalog_database.lake[0].name
    athena_workgroup  = aws_athena_workgroup.lake[0].name
    results_bucket    = aws_s3_bucket.this["athena_results"].bucket
    reader_policy_arn = aws_iam_policy.lake_reader[0].arn
  } : null
}
