# The chunked first run's state machine (terraform/chunks.tf), checked offline as security.tftest.hcl does (the
# provider mocks and variables are the same).
#
# Run: make tf-test

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/terraform-test"
      user_id    = "AIDATESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition          = "aws"
      dns_suffix         = "amazonaws.com"
      reverse_dns_prefix = "com.amazonaws"
    }
  }

  # The provider still validates ARN arguments: computed ARNs get well-formed mock values. ARNs that the policies
  # must tell apart (buckets, log groups, rules) are derived from names in locals.tf and checked as literals below.
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-2:123456789012:terrific-totes-dlq"
      id  = "https://sqs.eu-west-2.amazonaws.com/123456789012/terrific-totes-dlq"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-2:123456789012:terrific-totes-alarms" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/terrific-totes-mock-lambda" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/terrific-totes-lake-reader" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-2:123456789012:function:terrific-totes-mock" }
  }
  mock_resource "aws_lambda_layer_version" {
    defaults = { arn = "arn:aws:lambda:eu-west-2:123456789012:layer:terrific-totes-deno:1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/terrific-totes-mock" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-2:123456789012:rule/terrific-totes-mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::terrific-totes-mock" }
  }
}

override_resource {
  target = aws_secretsmanager_secret.totesys
  values = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:terrific-totes/totesys-db-AbC123" }
}

override_resource {
  target = aws_secretsmanager_secret.warehouse
  values = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:terrific-totes/warehouse-db-XyZ789" }
}

variables {
  function_packages = {
    ingest    = "tests/fixtures/placeholder.zip"
    transform = "tests/fixtures/placeholder.zip"
    load      = "tests/fixtures/placeholder.zip"
    reconcile = "tests/fixtures/placeholder.zip"
  }
  layer_package      = "tests/fixtures/placeholder.zip"
  rds_ca_bundle_file = "tests/fixtures/rds-global-bundle.pem"
  alarm_emails       = ["ops@example.com", "data-team@example.com"]
}

run "chunked_ingest_plans_maps_chunks_and_commits_through_the_ingest_function" {
  command = apply

  assert {
    condition     = aws_sfn_state_machine.chunked_ingest[0].name == "terrific-totes-chunked-ingest" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).StartAt == "Plan" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Plan.Next == "Chunks" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.Next == "Commit" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Commit.End
    error_message = "The state machine must run Plan, then Chunks, then Commit."
  }

  assert {
    condition = alltrue([
      for s in ["Plan", "Commit"] : jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States[s].Parameters.FunctionName == "arn:aws:lambda:eu-west-2:123456789012:function:terrific-totes-ingest"
    ]) && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.ItemProcessor.States.Chunk.Parameters.FunctionName == "arn:aws:lambda:eu-west-2:123456789012:function:terrific-totes-ingest"
    error_message = "Every step must invoke the ingest function (no new function)."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Plan.Parameters.Payload.plan.chunk_keys == 250000 && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Commit.Parameters.Payload.commit["run_id.$"] == "$.run_id" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.ItemSelector["chunk.$"] == "$$.Map.Item.Value"
    error_message = "The events must be {plan: {chunk_keys: 250000}}, {chunk: <item>} and {commit: {run_id}}."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.ItemProcessor.ProcessorConfig.Mode == "DISTRIBUTED" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.ItemsPath == "$.chunks" && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.MaxConcurrency == 4 && jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.ToleratedFailurePercentage == 0
    error_message = "Chunks must be a Distributed Map over the plan's chunks, 4 at a time, with no failure tolerated."
  }

  assert {
    condition = alltrue([
      for r in [
        jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Plan.Retry,
        jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Commit.Retry,
        jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.ItemProcessor.States.Chunk.Retry,
      ] : r[0].ErrorEquals == ["RefusedInputError", "PermanentError"] && r[0].MaxAttempts == 0 && contains(r[1].ErrorEquals, "States.TaskFailed") && r[1].MaxAttempts >= 1
    ])
    error_message = "Every step must be retried (a chunk retry redoes it; a commit retry is a no-op once done), except on a refused source or an overtaken plan (PermanentError), which fails the same way every time."
  }

  assert {
    condition     = jsondecode(aws_iam_role.chunked_ingest[0].assume_role_policy).Statement[0].Principal.Service == "states.amazonaws.com" && length(jsondecode(aws_iam_role.chunked_ingest[0].assume_role_policy).Statement) == 1
    error_message = "Only Step Functions may assume the state machine's role."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.chunked_ingest[0].policy).Statement : s.Effect == "Allow" && !contains(flatten([s.Resource]), "*") && !anytrue([for a in flatten([s.Action]) : endswith(a, "*")])
    ])
    error_message = "The state machine's policy must name its actions and resources (no wildcard)."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.chunked_ingest[0].policy).Statement : s.Resource if contains(s.Action, "lambda:InvokeFunction")
      ])) == toset(["arn:aws:lambda:eu-west-2:123456789012:function:terrific-totes-ingest", "arn:aws:lambda:eu-west-2:123456789012:function:terrific-totes-ingest:*"]) && toset(flatten([
      for s in jsondecode(aws_iam_role_policy.chunked_ingest[0].policy).Statement : s.Resource if contains(s.Action, "states:StartExecution")
    ])) == toset(["arn:aws:states:eu-west-2:123456789012:stateMachine:terrific-totes-chunked-ingest"])
    error_message = "The role may invoke the ingest function only, and start only its own state machine's executions."
  }
}

run "chunked_ingest_never_asks_for_more_than_the_ingest_reservation" {
  command = plan

  variables {
    ingest_reserved_concurrency = 2
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.chunked_ingest[0].definition).States.Chunks.MaxConcurrency == 2
    error_message = "The map's concurrency must not exceed ingest_reserved_concurrency."
  }
}

run "chunked_ingest_can_be_left_out" {
  command = plan

  variables {
    chunked_ingest_enabled = false
  }

  assert {
    condition     = length(aws_sfn_state_machine.chunked_ingest) == 0 && length(aws_iam_role.chunked_ingest) == 0 && output.chunked_ingest_state_machine == null
    error_message = "chunked_ingest_enabled = false must create no state machine and no role."
  }
}

run "chunk_size_and_concurrency_are_validated" {
  command = plan

  variables {
    chunked_ingest_chunk_keys      = 10
    chunked_ingest_max_concurrency = 0
  }

  expect_failures = [var.chunked_ingest_chunk_keys, var.chunked_ingest_max_concurrency]
}
