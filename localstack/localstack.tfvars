# Variables of the LocalStack loop (localstack/run.sh adds the package paths).
environment                 = "localstack"
force_destroy_buckets       = true
secret_recovery_window_days = 0
# LocalStack Community does not apply Lambda layers: the function zips carry bin/deno (build.ts --embed-deno).
use_deno_layer = false
# The compose PostgreSQL has no TLS (in AWS the default is verify-full against the RDS certificate bundle).
database_ssl_mode = "disable"
# LocalStack Community has no Glue or Athena: no lake catalog, workgroup or results bucket.
lake_query_enabled = false
# The functions reach LocalStack's APIs through the compose network (path-style S3, see lib/io/s3.ts).
extra_environment = {
  AWS_ENDPOINT_URL = "http://localstack:4566"
}
