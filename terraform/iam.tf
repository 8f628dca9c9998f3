# One role per function, least privilege: each role can touch only its own buckets, under the key prefixes of the
# data contract (locals.tf), only the secret it needs, its own log group and the dead-letter queue.
#
#   ingest    ToteSys secret; read+write the ingestion zone (table objects, _manifests/ingest/, _state/ingest/)
#   transform read the ingestion zone (table objects, _manifests/ingest/); read+write the processed zone
#             (warehouse table files, _manifests/transform/, _state/transform/, _quarantine/); no secret
#   load      warehouse secret; read the processed zone (warehouse table files, _manifests/transform/)
#
# s3:ListBucket is granted on the buckets a function reads, without a prefix condition: without it a missing key
# answers 403 instead of 404, and the stages look keys up that may not exist yet.

locals {
  bucket_arn = local.bucket_arns

  prefixes = {
    ingestion_read  = concat([for t in local.source_tables : "${t}/"], [local.ingest_manifest_prefix])
    ingestion_write = concat([for t in local.source_tables : "${t}/"], [local.ingest_manifest_prefix, "_state/ingest/"])
    processed_read  = concat([for t in local.warehouse_tables : "${t}/"], [local.transform_manifest_prefix])
    processed_write = concat(
      [for t in local.warehouse_tables : "${t}/"],
      [local.transform_manifest_prefix, "_state/transform/", "_quarantine/"],
    )
  }

  function_statements = {
    # Reconcile reads both databases and nothing in S3.
    reconcile = [
      {
        Sid      = "ReadDatabaseSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.totesys.arn, aws_secretsmanager_secret.warehouse.arn]
      },
    ]
    ingest = [
      {
        Sid      = "ListIngestionBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [local.bucket_arn.ingestion]
      },
      {
        Sid      = "ReadWriteIngestionZone"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
        Resource = [for p in local.prefixes.ingestion_write : "${local.bucket_arn.ingestion}/${p}*"]
      },
      {
        Sid      = "ReadToteSysSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.totesys.arn]
      },
    ]
    transform = [
      {
        Sid      = "ListZoneBuckets"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [local.bucket_arn.ingestion, local.bucket_arn.processed]
      },
      {
        Sid      = "ReadIngestionZone"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for p in local.prefixes.ingestion_read : "${local.bucket_arn.ingestion}/${p}*"]
      },
      {
        Sid      = "ReadWriteProcessedZone"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
        Resource = [for p in local.prefixes.processed_write : "${local.bucket_arn.processed}/${p}*"]
      },
    ]
    load = [
      {
        Sid      = "ListProcessedBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [local.bucket_arn.processed]
      },
      {
        Sid      = "ReadProcessedZone"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for p in local.prefixes.processed_read : "${local.bucket_arn.processed}/${p}*"]
      },
      {
        Sid      = "ReadWarehouseSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.warehouse.arn]
      },
    ]
  }

  common_statements = {
    for fn in local.functions : fn => [
      {
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_group_arns[fn]}:*"]
      },
      {
        Sid      = "SendFailedEventsToDeadLetterQueue"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.dlq.arn]
      },
    ]
  }
}

resource "aws_iam_role" "fn" {
  for_each = local.functions

  name        = "${var.name_prefix}-${each.key}-lambda"
  description = "Execution role of the ${each.key} function (least privilege, see terraform/iam.tf)"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions

  name = "${each.key}-least-privilege"
  role = aws_iam_role.fn[each.key].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.function_statements[each.key], local.common_statements[each.key])
  })
}

# Only when the functions run inside a VPC: creating their network interfaces needs ec2:* on "*" (AWS managed).
resource "aws_iam_role_policy_attachment" "vpc_access" {
  for_each = length(var.vpc_subnet_ids) > 0 ? local.functions : toset([])

  role       = aws_iam_role.fn[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}
