# Deploy targets (issue 7), included by the top-level Makefile: `include make/deploy.mk`. Each target that runs deno
# depends on `setup` (or `local-up`) of the Makefile, so it works as the first command on a fresh clone.
#
#   make build           bundle the three functions and write dist/<fn>.zip and dist/deno-layer.zip (sizes printed)
#   make bundle-test     build the real bundles and run ingest → transform → load through their bootstrap
#                        against a local Runtime API stub and the local services
#   make tf-test         terraform fmt -check, validate and test, offline (skips with a message without terraform)
#   make tf-plan         build, then terraform plan against AWS into terraform/tfplan (after terraform init with the
#                        S3 backend, docs/deploy.md); TF_ARGS='-var-file=prod.tfvars' passes options
#   make tf-apply        terraform apply of exactly that saved plan (terraform/tfplan)
#   make localstack-run  the whole pipeline on LocalStack (needs Docker), see localstack/run.sh
#   make localstack-down stop LocalStack and PostgreSQL and delete their volumes

DENO ?= deno
TERRAFORM ?= terraform
TF_DIR ?= terraform

.PHONY: build bundle-test tf-test tf-plan tf-apply localstack-run localstack-down

build: setup
	$(DENO) run -A scripts/build.ts

bundle-test: local-up
	TEST_REAL_BUNDLES=1 $(DENO) test -A tests/deploy/bundles_test.ts

tf-test:
	sh tests/deploy/terraform.sh

# Against AWS the provider must be free to find credentials the usual way, instance and task roles included: the
# Makefile's AWS_EC2_METADATA_DISABLED=true (for the local loop and tests) is replaced by the caller's own value.
TF_AWS_ENV = env -u AWS_EC2_METADATA_DISABLED \
  $(if $(CALLER_AWS_EC2_METADATA_DISABLED),AWS_EC2_METADATA_DISABLED=$(CALLER_AWS_EC2_METADATA_DISABLED))

tf-plan: build
	$(TF_AWS_ENV) $(TERRAFORM) -chdir=$(TF_DIR) plan -input=false -out=tfplan $(TF_ARGS)

# Applies the plan that was reviewed, not a new one; the zips it names are the ones tf-plan built.
tf-apply:
	@if [ ! -f $(TF_DIR)/tfplan ]; then echo "No saved plan $(TF_DIR)/tfplan: run make tf-plan first, review it, then make tf-apply."; exit 1; fi
	$(TF_AWS_ENV) $(TERRAFORM) -chdir=$(TF_DIR) apply -input=false tfplan

localstack-run: setup
	sh localstack/run.sh

localstack-down:
	docker compose -f localstack/docker-compose.yml down -v
