# The chunked first run (issue 15; lib/ingest/chunk_plan.ts): a Step Functions state machine that runs a first full
# read of ToteSys past one Lambda's 15 minutes. Started by hand (or by a deploy) before the schedule's first
# ingest, with any input:
#
#   aws stepfunctions start-execution --state-machine-arn "$(terraform output -raw chunked_ingest_state_machine)"
#
#   Plan    the ingest function with {"plan": {"chunk_keys": N}}: S0, the key ranges, the plan in _state/ingest/
#   Chunks  a Distributed Map over the plan's chunks: the ingest function with {"chunk": {run_id, table, index}},
#           at most chunked_ingest_max_concurrency at a time; each chunk retried (a retry of a half-done chunk
#           overwrites its own object; a done one is skipped)
#   Commit  the ingest function with {"commit": {"run_id": ...}}: state, then manifest (which triggers the
#           transform as any run's does), then pointer
#
# It reuses the ingest function and its role (the chunk objects and markers are under its prefixes). A failed
# execution commits nothing: start a new one (a plan is cheap; chunks of the old plan are left unreferenced).

variable "chunked_ingest_enabled" {
  description = "Create the chunked first-run state machine (Step Functions, Distributed Map over the ingest function)."
  type        = bool
  default     = true
}

variable "chunked_ingest_chunk_keys" {
  description = "Keys per chunk of the chunked first run: a chunk's time and memory follow this, not the table (250,000 sales orders: about 60 MB of JSON Lines)."
  type        = number
  default     = 250000

  validation {
    condition     = var.chunked_ingest_chunk_keys >= 1000 && floor(var.chunked_ingest_chunk_keys) == var.chunked_ingest_chunk_keys
    error_message = "chunked_ingest_chunk_keys must be a whole number of at least 1000."
  }
}

variable "chunked_ingest_max_concurrency" {
  description = "Chunks read at once (each holds two ToteSys connections for its read)."
  type        = number
  default     = 4

  validation {
    condition     = var.chunked_ingest_max_concurrency >= 1 && var.chunked_ingest_max_concurrency <= 40 && floor(var.chunked_ingest_max_concurrency) == var.chunked_ingest_max_concurrency
    error_message = "chunked_ingest_max_concurrency must be a whole number from 1 to 40 (ToteSys connections)."
  }
}

locals {
  chunked_name = "${var.name_prefix}-chunked-ingest"
  # Derived from names (fixed AWS formats), so the role's policy names them before they exist.
  chunked_state_machine_arn = "arn:${local.partition}:states:${var.aws_region}:${local.account_id}:stateMachine:${local.chunked_name}"
  chunked_execution_arn     = "arn:${local.partition}:states:${var.aws_region}:${local.account_id}:execution:${local.chunked_name}/*"
  ingest_function_arn       = "arn:${local.partition}:lambda:${var.aws_region}:${local.account_id}:function:${var.name_prefix}-ingest"

  # Never more chunks at once than the ingest function may run (a throttled chunk is retried, but would fail after
  # its retries if the map always asked for more than the reservation).
  chunked_concurrency = var.ingest_reserved_concurrency == null ? var.chunked_ingest_max_concurrency : min(var.chunked_ingest_max_concurrency, var.ingest_reserved_concurrency)

  # Transient Lambda and throttling errors, and the ingest lock held by a scheduled run, are retried. A refused
  # source (a row too large, a needed column gone) or an overtaken plan fails the same way every time (lib/io/cli.ts
  # PermanentError), so it is not retried: the first retrier that matches an error is the one used.
  chunked_retry = [{
    ErrorEquals = ["RefusedInputError", "PermanentError"]
    MaxAttempts = 0
    }, {
    ErrorEquals     = ["States.TaskFailed", "Lambda.ServiceException", "Lambda.TooManyRequestsException", "Lambda.SdkClientException"]
    IntervalSeconds = 10
    MaxAttempts     = 3
    BackoffRate     = 2
  }]

  chunked_definition = {
    Comment = "Chunked first ingest run: plan, chunks (Distributed Map), commit (lib/ingest/chunk_plan.ts)"
    StartAt = "Plan"
    States = {
      Plan = {
        Type           = "Task"
        Resource       = "arn:${local.partition}:states:::lambda:invoke"
        Parameters     = { FunctionName = local.ingest_function_arn, Payload = { plan = { chunk_keys = var.chunked_ingest_chunk_keys } } }
        ResultSelector = { "run_id.$" = "$.Payload.run_id", "chunks.$" = "$.Payload.chunks" }
        Retry          = local.chunked_retry
        Next           = "Chunks"
      }
      Chunks = {
        Type           = "Map"
        ItemsPath      = "$.chunks"
        ItemSelector   = { "chunk.$" = "$$.Map.Item.Value" }
        MaxConcurrency = local.chunked_concurrency
        ItemProcessor = {
          ProcessorConfig = { Mode = "DISTRIBUTED", ExecutionType = "STANDARD" }
          StartAt         = "Chunk"
          States = {
            Chunk = {
              Type       = "Task"
              Resource   = "arn:${local.partition}:states:::lambda:invoke"
              Parameters = { FunctionName = local.ingest_function_arn, "Payload.$" = "$" }
              Retry      = local.chunked_retry
              End        = true
            }
          }
        }
        ToleratedFailurePercentage = 0
        ResultPath                 = null
        Next                       = "Commit"
      }
      Commit = {
        Type       = "Task"
        Resource   = "arn:${local.partition}:states:::lambda:invoke"
        Parameters = { FunctionName = local.ingest_function_arn, Payload = { commit = { "run_id.$" = "$.run_id" } } }
        Retry      = local.chunked_retry
        End        = true
      }
    }
  }
}

resource "aws_iam_role" "chunked_ingest" {
  count = var.chunked_ingest_enabled ? 1 : 0
  name  = local.chunked_name

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.common_tags
}

# Only the ingest function, and only this state machine's own child executions (the Distributed Map's).
resource "aws_iam_role_policy" "chunked_ingest" {
  count = var.chunked_ingest_enabled ? 1 : 0
  name  = local.chunked_name
  role  = aws_iam_role.chunked_ingest[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeIngest"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = [local.ingest_function_arn, "${local.ingest_function_arn}:*"]
      },
      {
        Sid      = "RunOwnMapChildren"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = [local.chunked_state_machine_arn]
      },
      {
        Sid      = "ManageOwnMapChildren"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution", "states:StopExecution"]
        Resource = [local.chunked_execution_arn]
      },
    ]
  })
}

resource "aws_sfn_state_machine" "chunked_ingest" {
  count      = var.chunked_ingest_enabled ? 1 : 0
  name       = local.chunked_name
  role_arn   = aws_iam_role.chunked_ingest[0].arn
  definition = jsonencode(local.chunked_definition)
  tags       = local.common_tags

  depends_on = [aws_iam_role_policy.chunked_ingest, aws_lambda_function.fn]
}

output "chunked_ingest_state_machine" {
  description = "ARN of the chunked first-run state machine (null when chunked_ingest_enabled is false)."
  value       = var.chunked_ingest_enabled ? aws_sfn_state_machine.chunked_ingest[0].arn : null
}
