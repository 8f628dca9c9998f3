terraform {
  # 1.10+: S3-native state locking (`use_lockfile` in backend.hcl.example); 1.9+ for validations that refer to
  # other variables; `terraform test` with mock_provider needs 1.7+.
  required_version = ">= 1.10.0"

  # AWS provider 5.x, from 5.100 (the version in .terraform.lock.hcl, the one the tests run against): the
  # configuration has not been checked against 6.x (6.0 changed defaults and removed arguments), so moving to 6 is
  # a deliberate change of this line and of the lock file, tested with `make tf-test`. See docs/deploy.md.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
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
