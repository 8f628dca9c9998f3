provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(
      {
        Project     = "terrific-totes-etl"
        Environment = var.environment
        ManagedBy   = "terraform"
      },
      var.tags,
    )
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
