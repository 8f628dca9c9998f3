terraform {
  # 1.9+: validations that refer to other variables; `terraform test` with mock_provider needs 1.7+.
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
  }

  # Remote state in S3, partial configuration: the bucket, key and region are given at init time so that no
  # account-specific value lives in the code (see backend.hcl.example and docs/deploy.md):
  #
  #   terraform -chdir=terraform init -backend-config=backend.hcl
  #
  # Tests and `validate` run with `terraform init -backend=false`; the LocalStack loop replaces this block with a
  # local backend (localstack/localstack_override.tf).
  backend "s3" {}
}
