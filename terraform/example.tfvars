# Example variables: copy to prod.tfvars (ignored by git) and pass -var-file=prod.tfvars.
aws_region   = "eu-west-2"
name_prefix  = "terrific-totes"
environment  = "prod"
alarm_emails = ["data-team@example.com"]

# ingest_schedule_expression = "rate(5 minutes)"
# no_load_alarm_minutes      = 60
# lambda_memory_mb           = { ingest = 1024, transform = 2048, load = 1024 }
# lambda_timeout_seconds     = { ingest = 300, transform = 600, load = 600 }

# Alarm when no sales order has changed in ToteSys for 26 hours (or the ingest stopped reporting).
freshness_alarm_tables  = ["sales_order"]
freshness_alarm_seconds = 93600
