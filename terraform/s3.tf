# The two data zones, the artifacts bucket (function and layer zips) and the Athena results bucket (lake.tf). All: versioning (the zones are
# immutable history; Lambda code is deployed by object version), default encryption, every public access setting
# blocked, ACLs disabled, and a policy that denies any request not made over TLS.

resource "aws_s3_bucket" "this" {
  for_each = local.bucket_names

  bucket        = each.value
  force_destroy = var.force_destroy_buckets
  tags          = { Zone = each.key }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = aws_s3_bucket.this

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [local.bucket_arns[each.key], "${local.bucket_arns[each.key]}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  # Putting a policy while the public access block is being created can fail with AccessDenied.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Query results are re-created by running the query again.
  dynamic "rule" {
    for_each = each.key == "athena_results" ? [1] : []
    content {
      id     = "expire-query-results"
      status = "Enabled"
      filter {}
      expiration {
        days = var.athena_results_retention_days
      }
      noncurrent_version_expiration {
        noncurrent_days = 1
      }
    }
  }

  # Old function and layer zips are only needed for a rollback soon after a deploy.
  dynamic "rule" {
    for_each = each.key == "artifacts" ? [1] : []
    content {
      id     = "expire-old-artifacts"
      status = "Enabled"
      filter {}
      noncurrent_version_expiration {
        noncurrent_days = 30
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# Object-created events of the two zones go to EventBridge, where the manifest rules (events.tf) pick them up.
resource "aws_s3_bucket_notification" "eventbridge" {
  for_each = local.event_buckets

  bucket      = aws_s3_bucket.this[each.key].id
  eventbridge = true
}
