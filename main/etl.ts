/**
 * `deno task etl run|ingest|transform|load`: the pipeline from the command line, against the configured
 * endpoints (environment, or .local/env written by `make local-run`).
 *
 * - `run`: ingest, then transform and load every run not yet transformed or loaded (so a run that failed
 *   half-way earlier is completed), then a short report.
 * - `ingest`; `transform --run ID`; `load --run ID`: one stage.
 *
 * Exits non-zero on any failure, after the stage rolled back (see each stage).
 *
 * @module
 */
import { ingest } from "./ingest.ts";
import {
  INGEST_MANIFEST_PREFIX,
  type IngestManifest,
  ingestManifestKey,
  runIdOfManifestKey,
} from "../lib/ingest/manifest.ts";
import {
  TRANSFORM_MANIFEST_PREFIX,
  type TransformManifest,
  transformManifestKey,
} from "../lib/transform/manifest.ts";
import { runTransform } from "../lib/transform/stage.ts";
import { runLoad } from "../lib/load/stage.ts";
import { migrate } from "../lib/load/migrations.ts";
import { connect } from "../lib/io/pg.ts";
import { setLogSink } from "../lib/io/log.ts";
import { SOURCE_TABLE_NAMES, WAREHOUSE_TABLE_NAMES } from "../lib/contract/mod.ts";
import { badRowPolicy, bucketFromEnv, databaseUrl } from "./config.ts";

const USAGE = `Usage: deno task etl <command>
  run                 ingest, transform and load (and finish any earlier run left half-way)
  ingest              read ToteSys changes into the ingestion zone
  transform --run ID  transform one ingest run into Parquet
  load --run ID       load one transformed run into the warehouse
Options: --verbose  print the JSON log lines`;

const pad = (s: string | number, n: number) => String(s).padStart(n);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function run(): Promise<void> {
  const policy = badRowPolicy(); // checked before anything runs
  const warehouse = connect(await databaseUrl("WAREHOUSE"), { max: 2, applicationName: "totes-load" });
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    let t = performance.now();
    const ing = await ingest(); // the same wiring as the ingest Lambda
    const ingestMs = performance.now() - t;
    if (ing.status === "locked") {
      console.log(
        "Another run is reading ToteSys right now; it will carry the changes through. Nothing to do.",
      );
      return;
    }

    // Every committed ingest run not yet loaded, oldest first (a run left half-way earlier is completed now).
    const ingested = (await ingestion.list(INGEST_MANIFEST_PREFIX)).map(runIdOfManifestKey).filter((x) =>
      !!x
    );
    const transformed = new Set((await processed.list(TRANSFORM_MANIFEST_PREFIX)).map(runIdOfManifestKey));
    await migrate(warehouse);
    const loaded = new Set(
      (await warehouse<{ run_id: string }[]>`SELECT run_id FROM etl_load_log WHERE outcome = 'loaded'`).map((
        r,
      ) => r.run_id),
    );
    const pending = ingested.filter((id) => !loaded.has(id!)) as string[];
    if (pending.length === 0) {
      console.log(
        `No changes in ToteSys since the last run: the warehouse is unchanged (ingest ${secs(ingestMs)}).`,
      );
      return;
    }
    const earlier = pending.filter((id) => id !== ing.runId);
    if (earlier.length > 0) {
      console.log(`Completing ${earlier.length} earlier run(s) left half-way: ${earlier.join(", ")}`);
    }
    if (ing.status === "no_changes") console.log("No new changes in ToteSys since the last run.");

    const sourceRows: Record<string, number> = {};
    const parquetRows: Record<string, number> = {};
    const mergedRows: Record<string, number> = {};
    const add = (
      into: Record<string, number>,
      table: string,
      n: number,
    ) => (into[table] = (into[table] ?? 0) + n);
    t = performance.now();
    for (const id of pending) {
      const m = (await ingestion.getJson<IngestManifest>(ingestManifestKey(id)))!;
      for (const [table, entry] of Object.entries(m.tables)) add(sourceRows, table, entry.object?.rows ?? 0);
      if (!transformed.has(id)) {
        const tr = await runTransform({ ingestion, processed, runId: id, badRows: policy });
        for (const x of [...tr.caughtUp, id]) transformed.add(x);
      }
      const tm = (await processed.getJson<TransformManifest>(transformManifestKey(id)))!;
      for (const [table, f] of Object.entries(tm.tables)) add(parquetRows, table, f?.rows ?? 0);
    }
    const transformMs = performance.now() - t;
    t = performance.now();
    for (const id of pending) {
      const ld = await runLoad({ sql: warehouse, processed, runId: id });
      for (const [table, c] of Object.entries(ld.tables)) add(mergedRows, table, c?.merged ?? 0);
    }
    const loadMs = performance.now() - t;

    console.log(
      `\nRun ${pending.length === 1 ? pending[0] : `${pending[0]} .. ${pending[pending.length - 1]}`}`,
    );
    console.log(
      `${"source table".padEnd(16)}${pad("ingested", 10)}    ${"warehouse table".padEnd(22)}${
        pad("parquet", 9)
      }${pad("loaded", 9)}`,
    );
    const n = Math.max(SOURCE_TABLE_NAMES.length, WAREHOUSE_TABLE_NAMES.length);
    for (let i = 0; i < n; i++) {
      const s = SOURCE_TABLE_NAMES[i];
      const w = WAREHOUSE_TABLE_NAMES[i];
      const left = s ? `${s.padEnd(16)}${pad(sourceRows[s] ?? 0, 10)}` : " ".repeat(26);
      const right = w ? `${w.padEnd(22)}${pad(parquetRows[w] ?? 0, 9)}${pad(mergedRows[w] ?? 0, 9)}` : "";
      console.log(`${left}    ${right}`);
    }
    console.log("(loaded = rows inserted or changed; rows the warehouse already holds are skipped)");
    console.log(`\nTimes: ingest ${secs(ingestMs)}, transform ${secs(transformMs)}, load ${secs(loadMs)}`);
    console.log(`Query the warehouse: make sql Q='SELECT count(*) FROM fact_sales_order'`);
    console.log(`  or, with psql: (. .local/env && psql "$WAREHOUSE_DATABASE_URL")`);
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

async function main(args: string[]): Promise<void> {
  const verbose = args.includes("--verbose");
  if (!verbose && args[0] === "run") setLogSink(() => {});
  const i = args.indexOf("--run");
  const runId = i >= 0 ? args[i + 1] : undefined;
  switch (args[0]) {
    case "run":
      return await run();
    case "ingest": {
      console.log(JSON.stringify(await ingest()));
      return;
    }
    case "transform":
    case "load": {
      if (!runId) {
        throw new Error(
          `${
            args[0]
          } needs --run RUN_ID (run ids are printed by "etl run" and are the names under _manifests/ingest/)`,
        );
      }
      const mod = args[0] === "transform" ? await import("./transform.ts") : await import("./load.ts");
      const fn = "transform" in mod ? mod.transform : mod.load;
      console.log(JSON.stringify(await fn(runId)));
      return;
    }
    case undefined:
    case "--help":
    case "-h":
    case "help":
      console.log(USAGE);
      if (args[0] === undefined) Deno.exit(2);
      return;
    default:
      console.error(`Unknown command "${args[0]}".\n${USAGE}`);
      Deno.exit(2);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (err) {
    console.error(`Error: ${(err as Error).message}`);
    Deno.exit(1);
  }
}
