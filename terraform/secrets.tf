# The two database secrets. Terraform creates them empty: their values (JSON with host, port, username, password,
# dbname; main/config.ts) are put outside the code, so they never appear in the configuration, the plan or the
# state. See docs/deploy.md for the `aws secretsmanager put-secret-value` commands.

resource "aws_secretsmanager_secret" "totesys" {
  name                    = "${var.name_prefix}/totesys-db"
  description             = "ToteSys source database (read-only user): JSON with host, port, username, password, dbname"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret" "warehouse" {
  name                    = "${var.name_prefix}/warehouse-db"
  description             = "Warehouse PostgreSQL: JSON with host, port, username, password, dbname"
  recovery_window_in_days = var.secret_recovery_window_days
}
