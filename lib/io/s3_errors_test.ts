import assert from "node:assert/strict";
import { s3Error } from "./s3_errors.ts";

const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:45679"), { code: "ECONNREFUSED" });

Deno.test("s3Error: a refused local endpoint says that make local-up starts the services; a remote one does not", () => {
  const local = s3Error(refused(), "GetObject", "totes-ingestion", "a.json", {
    variable: "INGESTION_BUCKET",
    endpoint: "http://127.0.0.1:45679",
    stage: "ingest",
  }) as Error;
  assert.equal(
    local.message,
    "Cannot reach the S3 endpoint http://127.0.0.1:45679 (AWS_ENDPOINT_URL) (ECONNREFUSED) during ingest: " +
      "GetObject s3://totes-ingestion/a.json (locally, make local-up starts the services)",
  );
  const remote = s3Error(refused(), "GetObject", "totes-ingestion", "a.json", {
    endpoint: "https://s3.example.internal",
  }) as Error;
  assert.equal(
    remote.message,
    "Cannot reach the S3 endpoint https://s3.example.internal (AWS_ENDPOINT_URL) (ECONNREFUSED): " +
      "GetObject s3://totes-ingestion/a.json",
  );
});

Deno.test("s3Error: a range past the end says the object is shorter than written, naming it", () => {
  const err = Object.assign(new Error("The requested range is not satisfiable"), { name: "InvalidRange" });
  const e = s3Error(err, "GetObject", "totes-processed", "fact_payment/a.parquet", {
    stage: "load",
  }) as Error;
  assert.equal(
    e.message,
    "The object is shorter than the byte range read (replaced or truncated since it was written?) during load: " +
      "GetObject s3://totes-processed/fact_payment/a.parquet",
  );
});
