// Child process of load_test.ts: loads a run and stops forever inside the transaction after dim_staff, so the
// parent can kill the process mid-load. Args: warehouse URL, bucket name, run id.
import { connect } from "../../lib/io/pg.ts";
import { Bucket, createS3Client } from "../../lib/io/s3.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { setLogSink } from "../../lib/io/log.ts";

setLogSink(() => {});
const [url, bucketName, runId] = Deno.args as [string, string, string];
const processed = new Bucket(createS3Client({ endpoint: Deno.env.get("AWS_ENDPOINT_URL") }), bucketName);
await runLoad({
  now: () => Date.now(),
  sql: connect(url),
  processed,
  runId,
  afterTable: async (t) => {
    if (t !== "dim_staff") return;
    console.log("READY");
    await new Promise(() => {});
  },
});
