#!/bin/sh
# Offline checks of terraform/: fmt -check, validate, and `terraform test` (terraform/tests/*.tftest.hcl, with
# mock_provider "aws": no credentials, no AWS). Run by `make tf-test` and by CI.
#
# - Where terraform is not installed, says so and exits 0 (the rest of the suite goes on).
# - Providers come from an offline mirror when the machine has one (a folder holding registry.terraform.io:
#   $TF_PLUGIN_MIRROR, /opt/tf-plugins, or found with find), through a CLI config file written to
#   .local/terraformrc; otherwise from the registry as usual (CI).
# - Fake static credentials and AWS_EC2_METADATA_DISABLED=true, so nothing can reach for real credentials or the
#   instance metadata address; where `unshare -n` works (root, or user namespaces), validate and test run in an
#   empty network namespace: no network at all.
# - Terraform's working data goes to .local/terraform-test/, so a real `terraform init` with the S3 backend in
#   terraform/.terraform is left alone.
set -eu

root="$(cd "$(dirname "$0")/../.." && pwd)"
tf_dir="$root/terraform"

if ! command -v terraform >/dev/null 2>&1; then
  echo "SKIP terraform checks: terraform is not installed (install Terraform >= 1.10 to run fmt, validate and test)."
  exit 0
fi

export AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=test-not-a-real-key
export AWS_SECRET_ACCESS_KEY=test-not-a-real-secret
export AWS_REGION=eu-west-2
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE 2>/dev/null || true
export CHECKPOINT_DISABLE=1 # no version check call to HashiCorp
export TF_IN_AUTOMATION=1
export TF_INPUT=0

mkdir -p "$root/.local/terraform-test"
export TF_DATA_DIR="$root/.local/terraform-test/data"

# Find an offline provider mirror.
mirror="${TF_PLUGIN_MIRROR:-}"
if [ -z "$mirror" ] && [ -d /opt/tf-plugins/registry.terraform.io ]; then
  mirror=/opt/tf-plugins
fi
if [ -z "$mirror" ] && [ "${TF_SEARCH_MIRROR:-1}" = 1 ]; then
  found="$(find / -xdev -type d -name registry.terraform.io -not -path '*/.terraform/*' -prune 2>/dev/null | head -n 1 || true)"
  [ -n "$found" ] && mirror="$(dirname "$found")"
fi
if [ -n "$mirror" ]; then
  config="$root/.local/terraform-test/terraformrc"
  cat >"$config" <<EOF
# Written by tests/deploy/terraform.sh: providers from the offline mirror only.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
  export TF_CLI_CONFIG_FILE="$config"
  echo "terraform: providers from the offline mirror $mirror"
else
  # The environment may name a CLI config file that does not exist: drop it rather than warn on every command.
  if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi
  echo "terraform: no offline mirror found, providers from the registry"
fi

isolate=""
if unshare -n true 2>/dev/null; then
  isolate="unshare -n"
elif unshare -rn true 2>/dev/null; then
  isolate="unshare -rn"
fi

echo "terraform: $(terraform version | head -n 1)"
echo "== terraform fmt -check"
terraform -chdir="$tf_dir" fmt -check -recursive -diff

echo "== terraform init -backend=false"
if [ -n "$mirror" ] && [ -n "$isolate" ]; then
  $isolate terraform -chdir="$tf_dir" init -backend=false -input=false -no-color >/dev/null
else
  terraform -chdir="$tf_dir" init -backend=false -input=false -no-color >/dev/null
fi

echo "== terraform validate${isolate:+ (no network: $isolate)}"
$isolate terraform -chdir="$tf_dir" validate -no-color

echo "== terraform test${isolate:+ (no network: $isolate)}"
$isolate terraform -chdir="$tf_dir" test -no-color
