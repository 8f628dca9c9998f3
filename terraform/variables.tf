variable "aws_region" {
  description = "AWS region of every resource (the functions get it as AWS_REGION from Lambda itself)."
  type        = string
  default     = "eu-west-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-2."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, roles, rules, alarms, secrets); buckets add the account id."
  type        = string
  default     = "terrific-totes"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-24 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name, used in tags (e.g. prod, staging, localstack)."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be up to 16 lower-case letters, digits and hyphens."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged over Project, Environment and ManagedBy)."
  type        = map(string)
  default     = {}
}

variable "force_destroy_buckets" {
  description = "Let `terraform destroy` delete non-empty buckets. Keep false in production (the ingestion zone is the pipeline's history); true for LocalStack."
  type        = bool
  default     = false
}

# --- packages (built by `make build`) ---------------------------------------------------------------------------

variable "function_packages" {
  description = "Zip of each function (bootstrap + index.js), relative to this folder or absolute. Built by `make build` into dist/."
  type        = map(string)
  default = {
    ingest    = "../dist/ingest.zip"
    transform = "../dist/transform.zip"
    load      = "../dist/load.zip"
    reconcile = "../dist/reconcile.zip"
  }

  validation {
    condition     = toset(keys(var.function_packages)) == toset(["ingest", "transform", "load", "reconcile"])
    error_message = "function_packages must have exactly the keys ingest, transform, load and reconcile."
  }

  validation {
    condition     = alltrue([for p in values(var.function_packages) : endswith(p, ".zip")])
    error_message = "Each function package must be a .zip file."
  }
}

variable "layer_package" {
  description = "Zip of the deno layer (bin/deno, mounted at /opt/bin/deno), relative to this folder or absolute."
  type        = string
  default     = "../dist/deno-layer.zip"

  validation {
    condition     = endswith(var.layer_package, ".zip")
    error_message = "layer_package must be a .zip file."
  }
}

variable "use_deno_layer" {
  description = "Ship deno as a Lambda layer (true, AWS). False for LocalStack Community, which does not apply layers: build with `scripts/build.ts --embed-deno` so each function zip holds bin/deno."
  type        = bool
  default     = true
}

# --- functions ---------------------------------------------------------------------------------------------------

variable "lambda_memory_mb" {
  description = "Memory of each function in MB (CPU grows with it). The V8 heap does not grow with it: lambda/bootstrap's STAGE_V8_FLAGS cap it (192 MiB old space, 8 MiB semi-spaces), and a stage's first full run at 1M orders peaks near 256 MiB of RSS (docs/benchmarks.md), so 512 MB fits every function; larger sizes buy CPU (a full vCPU at 1769 MB)."
  type        = map(number)
  default = {
    ingest    = 1024
    transform = 2048
    load      = 1024
    reconcile = 512
  }

  validation {
    condition     = toset(keys(var.lambda_memory_mb)) == toset(["ingest", "transform", "load", "reconcile"])
    error_message = "lambda_memory_mb must have exactly the keys ingest, transform, load and reconcile."
  }

  validation {
    condition     = alltrue([for m in values(var.lambda_memory_mb) : m >= 512 && m <= 10240 && floor(m) == m])
    error_message = "Each memory size must be a whole number of MB from 512 (deno needs headroom) to 10240."
  }
}

variable "lambda_timeout_seconds" {
  description = "Timeout of each function in seconds. The duration alarm fires at duration_alarm_ratio of it."
  type        = map(number)
  default = {
    ingest    = 300
    transform = 600
    load      = 600
    reconcile = 600
  }

  validation {
    condition     = toset(keys(var.lambda_timeout_seconds)) == toset(["ingest", "transform", "load", "reconcile"])
    error_message = "lambda_timeout_seconds must have exactly the keys ingest, transform, load and reconcile."
  }

  validation {
    condition     = alltrue([for t in values(var.lambda_timeout_seconds) : t >= 30 && t <= 900 && floor(t) == t])
    error_message = "Each timeout must be a whole number of seconds from 30 to 900 (Lambda's maximum)."
  }
}

variable "ingest_reserved_concurrency" {
  description = "Reserved concurrency of the ingest function; null (the default) reserves none. Ingest runs are already serialised by a PostgreSQL advisory lock (a second run exits cleanly), so 1 only saves that run's start-up; new accounts with a low concurrency quota reject any reservation."
  type        = number
  default     = null

  validation {
    condition     = var.ingest_reserved_concurrency == null || try(var.ingest_reserved_concurrency >= 1 && floor(var.ingest_reserved_concurrency) == var.ingest_reserved_concurrency, false)
    error_message = "ingest_reserved_concurrency must be null (no reservation) or a whole number of at least 1."
  }
}

variable "database_ssl_mode" {
  description = "DATABASE_SSLMODE of the ingest and load functions: how connections to ToteSys and the warehouse use TLS. verify-full (the default) checks the server's certificate against database_ca_bundle and its host name; disable is for LocalStack only."
  type        = string
  default     = "verify-full"

  validation {
    condition     = contains(["verify-full", "verify-ca", "require", "disable"], var.database_ssl_mode)
    error_message = "database_ssl_mode must be verify-full, verify-ca, require or disable."
  }
}

variable "database_ca_bundle" {
  description = "DATABASE_CA_BUNDLE: the certificate authorities trusted for the database servers with verify-full/verify-ca: rds-global (the Amazon RDS global bundle, certs/rds-global-bundle.pem shipped in the function zips by make build: see docs/deploy.md, \"TLS to the databases\"), system (the runtime's default roots) or an absolute path inside the function (e.g. /var/task/my-ca.pem)."
  type        = string
  default     = "rds-global"

  validation {
    condition     = contains(["rds-global", "system"], var.database_ca_bundle) || startswith(var.database_ca_bundle, "/")
    error_message = "database_ca_bundle must be rds-global, system or an absolute path."
  }
}

variable "rds_ca_bundle_file" {
  description = "The Amazon RDS global certificate bundle that `make build` puts into the ingest and load zips (certs/README.md), relative to this folder or absolute. With database_ca_bundle = rds-global and database_ssl_mode verify-full or verify-ca, plan stops when it is missing: the functions would refuse every database connection."
  type        = string
  default     = "../certs/rds-global-bundle.pem"
}

variable "async_retry_attempts" {
  description = "Retries of a failed asynchronous invocation (EventBridge invokes the functions asynchronously) before the event goes to the dead-letter queue."
  type        = number
  default     = 2

  validation {
    condition     = contains([0, 1, 2], var.async_retry_attempts)
    error_message = "async_retry_attempts must be 0, 1 or 2 (Lambda's limits)."
  }
}

variable "async_max_event_age_seconds" {
  description = "How long Lambda keeps retrying an asynchronous event (including throttled ones) before sending it to the dead-letter queue."
  type        = number
  default     = 3600

  validation {
    condition     = var.async_max_event_age_seconds >= 60 && var.async_max_event_age_seconds <= 21600
    error_message = "async_max_event_age_seconds must be from 60 to 21600 (6 hours)."
  }
}

variable "ingest_max_delete_share" {
  description = "INGEST_MAX_DELETE_SHARE: the largest share (0 to 1) of a table one ingest run may find deleted; more stops the run."
  type        = number
  default     = 0.1

  validation {
    condition     = var.ingest_max_delete_share >= 0 && var.ingest_max_delete_share <= 1
    error_message = "ingest_max_delete_share must be from 0 to 1."
  }
}

variable "transform_bad_rows" {
  description = "TRANSFORM_BAD_ROWS: what the transform does with a source row it cannot convert: fail the run, or quarantine the row under _quarantine/ in the processed bucket."
  type        = string
  default     = "fail"

  validation {
    condition     = contains(["fail", "quarantine"], var.transform_bad_rows)
    error_message = "transform_bad_rows must be \"fail\" or \"quarantine\"."
  }
}

variable "extra_environment" {
  description = "Extra environment variables for all three functions (e.g. AWS_ENDPOINT_URL on LocalStack). Never put secrets here: use the Secrets Manager secrets."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for k in keys(var.extra_environment) :
      can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && !contains(["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "TOTESYS_DATABASE_URL", "WAREHOUSE_DATABASE_URL"], k)
    ])
    error_message = "extra_environment keys must be valid names and must not set Lambda's reserved variables or database URLs (use the secrets)."
  }
}

variable "vpc_subnet_ids" {
  description = "Subnets for the functions when the databases are only reachable inside a VPC (then S3 and Secrets Manager need VPC endpoints or a NAT). Empty: no VPC."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups of the functions inside the VPC; required with vpc_subnet_ids."
  type        = list(string)
  default     = []

  validation {
    condition     = (length(var.vpc_subnet_ids) == 0) == (length(var.vpc_security_group_ids) == 0)
    error_message = "Set vpc_subnet_ids and vpc_security_group_ids together, or neither."
  }
}

# --- the queryable lake (lake.tf) ----------------------------------------------------------------------------------

variable "lake_query_enabled" {
  description = "Create the Glue Data Catalog tables over the processed zone's Parquet, the Athena workgroup and its results bucket, and the lake reader policy. False for LocalStack Community, which has neither Glue nor Athena."
  type        = bool
  default     = true
}

variable "lake_partition_start" {
  description = "First day (yyyy/MM/dd, UTC) of the partition projection over the processed zone's <table>/<yyyy>/<mm>/<dd>/ folders: the day of the first pipeline run or earlier. Athena lists each day from here to today for a query without a run_date filter."
  type        = string
  default     = "2026/01/01"

  validation {
    condition     = can(regex("^[0-9]{4}/(0[1-9]|1[0-2])/(0[1-9]|[12][0-9]|3[01])$", var.lake_partition_start))
    error_message = "lake_partition_start must be a day written yyyy/MM/dd, e.g. 2026/01/01."
  }
}

variable "lake_reader_role_names" {
  description = "IAM roles (names) that get the lake reader policy: Athena queries in the lake's workgroup, read-only on the lake. Empty: attach the policy (output lake_reader_policy_arn) yourself."
  type        = list(string)
  default     = []
}

variable "athena_bytes_scanned_cutoff" {
  description = "Largest number of bytes one query of the lake's workgroup may scan before Athena cancels it (10 GB by default; Athena's minimum is 10 MB)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.athena_bytes_scanned_cutoff >= 10485760 && floor(var.athena_bytes_scanned_cutoff) == var.athena_bytes_scanned_cutoff
    error_message = "athena_bytes_scanned_cutoff must be a whole number of bytes, at least 10485760 (10 MB)."
  }
}

variable "athena_results_retention_days" {
  description = "Days Athena query results are kept in the results bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.athena_results_retention_days >= 1 && floor(var.athena_results_retention_days) == var.athena_results_retention_days
    error_message = "athena_results_retention_days must be a whole number of days, at least 1."
  }
}

# --- scheduling --------------------------------------------------------------------------------------------------

variable "ingest_schedule_expression" {
  description = "Schedule of the ingest run: a classic EventBridge rule schedule expression (EventBridge Scheduler is not used: LocalStack does not fire its targets)."
  type        = string
  default     = "rate(5 minutes)"

  validation {
    condition     = can(regex("^(rate\\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\\)|cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\))$", var.ingest_schedule_expression))
    error_message = "ingest_schedule_expression must be rate(N unit) (e.g. rate(5 minutes), rate(1 hour)) or a six-field cron(...)."
  }
}

variable "reconcile_schedule_expression" {
  description = "Schedule of the reconcile function (compares ToteSys with the warehouse and publishes TerrificTotes/ReconcileDifferences): a classic EventBridge schedule expression."
  type        = string
  default     = "rate(1 hour)"

  validation {
    condition     = can(regex("^(rate\\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\\)|cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\))$", var.reconcile_schedule_expression))
    error_message = "reconcile_schedule_expression must be rate(N unit) (e.g. rate(1 hour)) or a six-field cron(...)."
  }
}

variable "reconcile_alarm_periods" {
  description = "The reconcile alarm fires when ReconcileDifferences (all tables) stays above zero for this many consecutive reconcile periods (a difference that the next runs carry is normal for one period)."
  type        = number
  default     = 2

  validation {
    condition     = var.reconcile_alarm_periods >= 1 && floor(var.reconcile_alarm_periods) == var.reconcile_alarm_periods
    error_message = "reconcile_alarm_periods must be a whole number of at least 1."
  }
}

variable "schedule_enabled" {
  description = "Whether the ingest schedule is on. Turn it off to pause the pipeline without destroying anything."
  type        = bool
  default     = true
}

# --- secrets -----------------------------------------------------------------------------------------------------

variable "secret_recovery_window_days" {
  description = "Days a deleted database secret can be restored (0 deletes at once: LocalStack and throw-away stacks only)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or from 7 to 30."
  }
}

# --- observability -----------------------------------------------------------------------------------------------

variable "log_retention_days" {
  description = "Retention of the functions' CloudWatch log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "alarm_emails" {
  description = "Email addresses subscribed to the alarm topic (each must confirm the subscription email from AWS)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Each alarm email must be an email address."
  }
}

variable "duration_alarm_ratio" {
  description = "The duration alarm fires when an invocation's duration exceeds this fraction of the function's timeout."
  type        = number
  default     = 0.8

  validation {
    condition     = var.duration_alarm_ratio > 0 && var.duration_alarm_ratio < 1
    error_message = "duration_alarm_ratio must be between 0 and 1 (exclusive)."
  }
}

variable "no_load_alarm_minutes" {
  description = "The 'no successful load' alarm fires when the load function has not completed an invocation without error for this many minutes."
  type        = number
  default     = 60

  validation {
    condition     = var.no_load_alarm_minutes >= 10 && var.no_load_alarm_minutes <= 1440 && floor(var.no_load_alarm_minutes) == var.no_load_alarm_minutes
    error_message = "no_load_alarm_minutes must be a whole number from 10 to 1440 (one day, CloudWatch's longest alarm period)."
  }
}

variable "freshness_alarm_tables" {
  description = "Source tables whose freshness (now minus their newest change in ToteSys, published by every ingest) has an alarm: choose tables that change every business day (example.tfvars watches sales_order). Empty: no freshness alarm."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.freshness_alarm_tables : contains(local.source_tables, t)])
    error_message = "freshness_alarm_tables must name ToteSys tables (local.source_tables, terraform/contract.tf.json)."
  }
}

variable "freshness_alarm_seconds" {
  description = "The freshness alarm fires when a watched table's newest change in ToteSys is older than this many seconds (default 26 h: a day with no orders at all is abnormal; lower it for an alarm within the day)."
  type        = number
  default     = 93600

  validation {
    condition     = var.freshness_alarm_seconds >= 600 && floor(var.freshness_alarm_seconds) == var.freshness_alarm_seconds
    error_message = "freshness_alarm_seconds must be a whole number of at least 600 (two ingest periods)."
  }
}
