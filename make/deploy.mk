# Deploy targets (issue 7), included by the top-level Makefile: `include make/deploy.mk`.
#
#   make build           bundle the three functions and write dist/<fn>.zip and dist/deno-layer.zip (sizes printed)
#   make bundle-test     build the real bundles and run ingest → transform → load through their bootstrap
#                        against a local Runtime API stub and the local services
#   make tf-test         terraform fmt -check, validate and test, offline (skips with a message without terraform)
#   make tf-plan         terraform plan against AWS (after terraform init with the S3 backend, docs/deploy.md)
#   make tf-apply        build, then terraform apply against AWS
#   make localstack-run  the whole pipeline on LocalStack (needs Docker), see localstack/run.sh
#   make localstack-down stop LocalStack and PostgreSQL and delete their volumes

DENO ?= deno
TERRAFORM ?= terraform
TF_DIR ?= terraform

.PHONY: build bundle-test tf-test tf-plan tf-apply localstack-run localstack-down

build:
	$(DENO) run -A scripts/build.ts

bundle-test:
	node scripts/local_services.mjs up
	TEST_REAL_BUNDLES=1 $(DENO) test -A tests/deploy/bundles_test.ts

tf-test:
	sh tests/deploy/terraform.sh

tf-plan: build
	AWS_EC2_METADATA_DISABLED=true $(TERRAFORM) -chdir=$(TF_DIR) plan -input=false -out=tfplan

tf-apply: build
	AWS_EC2_METADATA_DISABLED=true $(TERRAFORM) -chdir=$(TF_DIR) apply -input=false

localstack-run:
	sh localstack/run.sh

localstack-down:
	docker compose -f localstack/docker-compose.yml down -v
