/**
 * The real function packages, end to end, without AWS: builds ingest, transform and load with scripts/build.ts,
 * runs each zip's bootstrap against the local Runtime API stub with the event Lambda would get (schedule, then
 * EventBridge "Object Created" of each manifest), on a fresh ToteSys, warehouse and buckets of the local services.
 *
 * Opt-in (it builds the real bundles, ~15 s, and depends on every stage): `TEST_REAL_BUNDLES=1`, as in
 * `make bundle-test` and CI. The fixture-based bootstrap_test.ts always runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { build } from "../../scripts/build.ts";
import { startRuntimeApiStub, type StubPost } from "./runtime_api_stub.ts";

const enabled = Deno.env.get("TEST_REAL_BUNDLES") === "1";

Deno.test({
  name: enabled
    ? "the real bundles run ingest → transform → load through the bootstrap and report a failure"
    : "the real bundles run ingest → transform → load through the bootstrap (opt-in: make bundle-test)",
  ignore: !enabled,
  async fn() {
    const { freshBucket, freshDatabase } = await import("../harness.ts");
    const tmp = await Deno.makeTempDir({ prefix: "bundles-test-" });
    const totesys = await freshDatabase("bundle_src");
    const warehouse = await freshDatabase("bundle_wh");
    try {
      const ingestion = await freshBucket("bundle-ing");
      const processed = await freshBucket("bundle-proc");
      const seed = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "scripts/seed.ts",
          "--database-url",
          totesys.url,
          "--create-schema",
          "--orders",
          "200",
        ],
        cwd: new URL("../..", import.meta.url).pathname,
        stdout: "null",
      }).output();
      assert.ok(seed.success, "seeding ToteSys failed");
      await build({ outDir: join(tmp, "dist"), layer: false });

      const invoke = async (fn: string, event: unknown, env: Record<string, string>): Promise<StubPost> => {
        const taskRoot = join(tmp, `task-${fn}-${crypto.randomUUID().slice(0, 8)}`);
        const unzip = await new Deno.Command("unzip", {
          args: ["-q", join(tmp, "dist", `${fn}.zip`), "-d", taskRoot],
        }).output();
        assert.ok(unzip.success);
        const stub = startRuntimeApiStub([{ requestId: `${fn}-request`, event }]);
        const child = new Deno.Command(join(taskRoot, "bootstrap"), {
          clearEnv: true,
          env: {
            PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
            AWS_LAMBDA_RUNTIME_API: stub.address,
            LAMBDA_TASK_ROOT: taskRoot,
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
            DENO_BIN: Deno.execPath(),
            INGESTION_BUCKET: ingestion.name,
            PROCESSED_BUCKET: processed.name,
            AWS_ENDPOINT_URL: Deno.env.get("AWS_ENDPOINT_URL") ?? "",
            AWS_ACCESS_KEY_ID: Deno.env.get("AWS_ACCESS_KEY_ID") ?? "",
            AWS_SECRET_ACCESS_KEY: Deno.env.get("AWS_SECRET_ACCESS_KEY") ?? "",
            AWS_REGION: Deno.env.get("AWS_REGION") ?? "eu-west-2",
            AWS_EC2_METADATA_DISABLED: "true",
            ...env,
          },
          stdout: "null",
          stderr: "null",
        }).spawn();
        try {
          const [post] = await stub.waitForPosts(1, 120_000);
          return post!;
        } finally {
          child.kill("SIGTERM");
          await child.status;
          await stub.close();
        }
      };
      const objectCreated = (bucket: string, key: string) => ({
        source: "aws.s3",
        "detail-type": "Object Created",
        detail: { bucket: { name: bucket }, object: { key } },
      });

      const ingest = await invoke("ingest", {
        source: "aws.events",
        "detail-type": "Scheduled Event",
        detail: {},
      }, {
        TOTESYS_DATABASE_URL: totesys.url,
      });
      assert.equal(ingest.path, "/invocation/ingest-request/response", ingest.body);
      const [ingestManifest] = await ingestion.list("_manifests/ingest/");
      assert.ok(ingestManifest);

      const transform = await invoke("transform", objectCreated(ingestion.name, ingestManifest), {
        TRANSFORM_BAD_ROWS: "fail",
      });
      assert.equal(transform.path, "/invocation/transform-request/response", transform.body);
      const [transformManifest] = await processed.list("_manifests/transform/");
      assert.ok(transformManifest);

      const load = await invoke("load", objectCreated(processed.name, transformManifest), {
        WAREHOUSE_DATABASE_URL: warehouse.url,
      });
      assert.equal(load.path, "/invocation/load-request/response", load.body);
      const [row] = await warehouse.sql`SELECT count(*)::int AS n FROM fact_sales_order`;
      assert.equal(row!.n, 200);

      // A load that cannot reach its warehouse is a failed invocation with the error posted to /error.
      const failed = await invoke("load", objectCreated(processed.name, transformManifest), {
        WAREHOUSE_DATABASE_URL: "postgres://nobody:nothing@127.0.0.1:1/none",
      });
      assert.equal(failed.path, "/invocation/load-request/error");
      assert.match(JSON.parse(failed.body).errorMessage, /ECONNREFUSED/);
    } finally {
      await totesys.drop();
      await warehouse.drop();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
