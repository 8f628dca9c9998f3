/**
 * `deno task etl run|ingest|transform|load`: the pipeline from the command line, against the configured
 * endpoints (environment, or .local/env written by `make local-run`).
 *
 * - `run`: ingest, then transform and load every run not yet transformed or loaded (so a run that failed
 *   half-way earlier is completed), then a short report.
 * - `ingest`; `transform --run ID`; `load --run ID`: one stage.
 * - `report [--out PATH]`: one self-contained HTML page of sales and pipeline health (lib/report/).
 * - `reconcile`: compare ToteSys with the warehouse, naming every differing key (exit 1 when any).
 * - every command: `--help` prints its usage and does nothing; an unknown flag exits 2 naming it.
 *
 * Exits non-zero on any failure, after the stage rolled back (see each stage).
 *
 * @module
 */
import { entropy, ingest } from "./ingest.ts";
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
import { setConnectionLostHandler, type Sql } from "../lib/io/pg.ts";
import { setLogSink } from "../lib/io/log.ts";
import { ProgressReporter } from "../lib/io/progress.ts";
import { SOURCE_TABLE_NAMES, WAREHOUSE_TABLE_NAMES } from "../lib/contract/mod.ts";
import { badRowPolicy, bucketFromEnv, openDatabase, shareFromEnv } from "./config.ts";
import { reconcile, type ReconcileResult } from "../lib/reconcile/mod.ts";
import { recordReconcile } from "../lib/reconcile/log.ts";
import { collectStatus, formatStatus, runSpan } from "../lib/status/mod.ts";
import { type CliOptions, parseCommandLine, UsageError, wholeNumber } from "../lib/io/cli.ts";
import { loadLocalEnvIfUnconfigured } from "./local_env.ts";
import { repairKeys } from "../lib/reconcile/repair.ts";
import { runRepair } from "../lib/ingest/repair.ts";
import { runRebuild } from "../lib/rebuild/mod.ts";
import { buildReport } from "../lib/report/mod.ts";
import { dirname, resolve } from "node:path";

const USAGE = `Usage: deno task etl <command> [options]   (deno task etl <command> --help for its options)
  run                 ingest, transform and load (and finish any earlier run left half-way)
  ingest              read ToteSys changes into the ingestion zone
  transform --run ID  transform one ingest run into Parquet
  load --run ID       load one transformed run into the warehouse
  reconcile           compare ToteSys with the warehouse and name every differing key (--repair: fix them)
  rebuild             rebuild an empty warehouse from the ingestion zone alone
  status              the last runs, pending work, capture position, freshness, quarantine, last reconcile
  report [--out PATH] write an HTML report of sales and pipeline health (.local/report/index.html)`;

const pad = (s: string | number, n: number) => String(s).padStart(n);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function run(progress: ProgressReporter): Promise<void> {
  const policy = badRowPolicy(); // checked before anything runs
  const onProgress = progress.callback;
  const warehouse = await openDatabase("WAREHOUSE", "totes-load", 2);
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    let t = performance.now();
    const ing = await ingest(onProgress); // the same wiring as the ingest Lambda
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
      console.log(
        `Completing ${runSpan(earlier.length, earlier[0]!, earlier[earlier.length - 1]!)} left half-way`,
      );
    }
    if (ing.status === "no_changes") console.log("No new changes in ToteSys since the last run.");

    const sourceRows: Record<string, number> = {};
    const parquetRows: Record<string, number> = {};
    const mergedRows: Record<string, number> = {};
    const deletedRows: Record<string, number> = {};
    const quarantinedRows: Record<string, number> = {};
    const schemaChanges: string[] = [];
    const add = (
      into: Record<string, number>,
      table: string,
      n: number,
    ) => (into[table] = (into[table] ?? 0) + n);
    t = performance.now();
    for (const id of pending) {
      const m = (await ingestion.getJson<IngestManifest>(ingestManifestKey(id)))!;
      for (const [table, entry] of Object.entries(m.tables)) {
        add(sourceRows, table, entry.object?.rows ?? 0);
        for (const [a, b] of entry.deleted ?? []) add(deletedRows, table, b - a + 1);
        const changed = [
          ...entry.added_columns.map((c) => `+${c}`),
          ...(entry.dropped_columns ?? []).map((c) => `-${c}`),
          ...(entry.retyped_columns ?? []).map((c) => `~${c}`),
        ];
        if (changed.length > 0) schemaChanges.push(`${table} ${changed.join(" ")} (run ${id})`);
      }
      if (!transformed.has(id)) {
        const tr = await runTransform({ ingestion, processed, runId: id, badRows: policy, onProgress });
        for (const x of [...tr.caughtUp, id]) transformed.add(x);
      }
      const tm = (await processed.getJson<TransformManifest>(transformManifestKey(id)))!;
      for (const [table, f] of Object.entries(tm.tables)) add(parquetRows, table, f?.rows ?? 0);
      for (const [table, f] of Object.entries(tm.quarantine)) add(quarantinedRows, table, f.rows);
    }
    const transformMs = performance.now() - t;
    t = performance.now();
    for (const id of pending) {
      const ld = await runLoad({ sql: warehouse, processed, runId: id, onProgress });
      for (const [table, c] of Object.entries(ld.tables)) add(mergedRows, table, c?.merged ?? 0);
    }
    const loadMs = performance.now() - t;

    console.log(
      `\nRun ${pending.length === 1 ? pending[0] : `${pending[0]} .. ${pending[pending.length - 1]}`}`,
    );
    console.log(
      `${"source table".padEnd(16)}${pad("ingested", 10)}${pad("deleted", 9)}    ${
        "warehouse table".padEnd(22)
      }${pad("parquet", 9)}${pad("loaded", 9)}`,
    );
    const n = Math.max(SOURCE_TABLE_NAMES.length, WAREHOUSE_TABLE_NAMES.length);
    for (let i = 0; i < n; i++) {
      const s = SOURCE_TABLE_NAMES[i];
      const w = WAREHOUSE_TABLE_NAMES[i];
      const left = s
        ? `${s.padEnd(16)}${pad(sourceRows[s] ?? 0, 10)}${pad(deletedRows[s] ?? 0, 9)}`
        : " ".repeat(35);
      const right = w ? `${w.padEnd(22)}${pad(parquetRows[w] ?? 0, 9)}${pad(mergedRows[w] ?? 0, 9)}` : "";
      console.log(`${left}    ${right}`);
    }
    console.log(
      "(loaded = rows inserted or changed; rows whose content the warehouse already holds are skipped; " +
        "deleted = source rows gone, recorded in fact_deletion or dimension deleted_at)",
    );
    const quarantined = Object.entries(quarantinedRows).filter(([, n]) => n > 0);
    if (quarantined.length > 0) {
      console.log(
        `\nQuarantined rows: ${quarantined.map(([t, n]) => `${t} ${n}`).join(", ")} ` +
          `(deno task etl status lists them and the rows waiting for them)`,
      );
    }
    if (schemaChanges.length > 0) {
      console.log(`\nSource columns changed (recorded): ${schemaChanges.join("; ")}`);
    }
    console.log(`\nTimes: ingest ${secs(ingestMs)}, transform ${secs(transformMs)}, load ${secs(loadMs)}`);
    console.log(`Query the warehouse: make sql Q='SELECT count(*) FROM fact_sales_order'`);
    console.log(`  or, with psql: (. .local/env && psql "$WAREHOUSE_DATABASE_URL")`);
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

/** Each command's usage: what it does and its options. */
const COMMANDS: Record<string, { usage: string; options: CliOptions }> = {
  run: {
    usage: `Usage: deno task etl run [--verbose]
  Ingest the changes since the last run, then transform and load every run not yet loaded (so a run left
  half-way earlier is completed), then print a report.
  --verbose   print the JSON log lines on stderr`,
    options: { verbose: { type: "boolean" } },
  },
  ingest: {
    usage: `Usage: deno task etl ingest
  Read the ToteSys changes since the last run into the ingestion zone; prints the result as JSON.`,
    options: {},
  },
  transform: {
    usage: `Usage: deno task etl transform --run RUN_ID
  Transform one ingest run into Parquet (and any earlier run not transformed yet).
  --run RUN_ID   the run (printed by "etl run"; the names under _manifests/ingest/)`,
    options: { run: { type: "string" } },
  },
  load: {
    usage: `Usage: deno task etl load --run RUN_ID
  Load one transformed run into the warehouse (and any earlier run not loaded yet).
  --run RUN_ID   the run (printed by "etl run"; the names under _manifests/transform/)`,
    options: { run: { type: "string" } },
  },
  reconcile: {
    usage: `Usage: deno task etl reconcile [--table NAME]... [--json] [--repair]
  Compare every ToteSys table with the warehouse's current state (the _current fact views and the dimensions)
  and name every differing key. Exit 0 when equal, 1 when not, 2 on error.
  --table NAME   compare only this warehouse table (repeatable), e.g. fact_payment_current
  --json         print the result as JSON
  --repair       turn the differences into a repair run (an ingest run whose manifest says "repair"), transform
                 and load it, then compare again: exit 0 when the warehouse then equals ToteSys`,
    options: {
      table: { type: "string", multiple: true },
      json: { type: "boolean" },
      repair: { type: "boolean" },
    },
  },
  rebuild: {
    usage: `Usage: deno task etl rebuild [--into PREFIX]
  Rebuild the warehouse from the ingestion zone alone: every ingest run, in order, is transformed into a fresh
  processed location and loaded into the configured warehouse, which must be empty (point
  WAREHOUSE_DATABASE_URL at a new database). Resumable: run it again after a failure or a kill.
  --into PREFIX  the processed location, a key prefix in PROCESSED_BUCKET (default "rebuild/")`,
    options: { into: { type: "string" } },
  },
  report: {
    usage: `Usage: deno task etl report [--out PATH]
  Write one self-contained HTML page (charts as inline SVG, no script, no network needed to read it): monthly
  revenue per currency, top designs, sales by delivery country, staff and department, payments paid and unpaid,
  and the pipeline's health (last loads, freshness, quarantined rows, last reconcile). Reads the warehouse, and
  the processed bucket's manifests when PROCESSED_BUCKET is set. Prints the file's path.
  --out PATH   where to write it (default .local/report/index.html)`,
    options: { out: { type: "string" } },
  },
  status: {
    usage: `Usage: deno task etl status [--runs N] [--json]
  What the pipeline did and what waits, from the lake and the warehouse only (never ToteSys): the last runs
  with the stage each reached, rows, durations and outcome; runs pending or left half-way; per source table
  the capture position, the newest change in ToteSys at the last capture against the newest loaded
  (freshness), quarantined and waiting rows; the last reconcile.
  --runs N   how many runs to list (default 10)
  --json     print it as JSON`,
    options: { runs: { type: "string" }, json: { type: "boolean" } },
  },
};

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    throw new UsageError(`Unknown command "${command}"; run "deno task etl --help" for the commands`);
  }
  const { help, values } = parseCommandLine(`etl ${command}`, argv.slice(1), spec.options);
  if (command === "status") wholeNumber("runs", values.runs, 10); // a bad value before anything is read
  if (help) {
    console.log(`${spec.usage}\n  --help, -h     print this and do nothing`);
    return 0;
  }
  loadLocalEnvIfUnconfigured();
  if (!values.verbose && ["run", "reconcile", "status", "rebuild"].includes(command)) {
    setLogSink(() => {});
  }
  switch (command) {
    case "run":
    case "ingest":
    case "transform":
    case "load":
      break;
    case "reconcile":
      return await reconcileCommand(
        values.table as string[] | undefined,
        Boolean(values.json),
        Boolean(values.repair),
      );
    case "rebuild":
      return await rebuildCommand((values.into as string | undefined) ?? "rebuild/");
    case "report":
      return await reportCommand((values.out as string | undefined) ?? ".local/report/index.html");
    case "status":
      return await statusCommand(wholeNumber("runs", values.runs, 10), Boolean(values.json));
  }
  // The stages report progress on stderr: a live line on a terminal, a line every 3 s otherwise (C22).
  const progress = new ProgressReporter().start();
  // A database that goes away mid-run ends the process at once, naming it and where the run was (C2, C3):
  // postgres.js can otherwise leave the statement pending for ever, or throw from inside its socket code.
  const where = () => {
    const at = progress.current;
    return at ? ` during ${at.stage} of run ${at.runId ?? "?"} at ${at.table}` : "";
  };
  const die = (message: string) => {
    progress.stop();
    console.error(`Error: ${message}`);
    Deno.exit(1);
  };
  setConnectionLostHandler(({ label, host, port, error }) =>
    die(
      `the ${label} PostgreSQL at ${host}:${port} closed the connection${where()}` +
        `${error ? ` (${error.message})` : ""}; nothing of the interrupted stage was committed, ` +
        `run "deno task etl run" again once the database is back`,
    )
  );
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    die(`${(e.error as Error)?.message ?? e.message}${where()}`);
  });
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    die(`${(e.reason as Error)?.message ?? String(e.reason)}${where()}`);
  });
  try {
    return await stageCommand(command, values, progress);
  } finally {
    progress.stop();
  }
}

async function stageCommand(
  command: string,
  values: Record<string, unknown>,
  progress: ProgressReporter,
): Promise<number> {
  switch (command) {
    case "run":
      await run(progress);
      return 0;
    case "ingest":
      console.log(JSON.stringify(await ingest(progress.callback)));
      return 0;
    case "transform":
    case "load": {
      const runId = values.run as string | undefined;
      if (!runId) throw new UsageError(`etl ${command} needs --run RUN_ID (etl ${command} --help)`);
      const mod = command === "transform" ? await import("./transform.ts") : await import("./load.ts");
      const fn = "transform" in mod ? mod.transform : mod.load;
      console.log(JSON.stringify(await fn(runId, progress.callback)));
      return 0;
    }
  }
  return 2;
}

async function rebuildCommand(into: string): Promise<number> {
  if (!/^[0-9A-Za-z_.-]+(\/[0-9A-Za-z_.-]+)*\/$/.test(into)) {
    throw new UsageError(`--into must be a key prefix ending in "/", like "rebuild/", got "${into}"`);
  }
  const policy = badRowPolicy();
  const warehouse = await openDatabase("WAREHOUSE", "totes-rebuild", 2);
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    const result = await runRebuild({
      ingestion,
      processed: processed.under(into),
      warehouse,
      badRows: policy,
      onRun: (done, total, runId, step) => console.error(`[rebuild] ${done}/${total} ${runId} ${step}`),
      clock: () => performance.now(),
    });
    console.log(
      `Rebuilt the warehouse from ${result.runs} run(s) (${result.transformed} transformed, ${result.loaded} ` +
        `loaded now) into s3://${processed.name}/${into} in ${secs(result.ms)}.`,
    );
    return 0;
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

/** Writes a repair run for `result`'s differences, transforms and loads it; returns its id. */
async function repairDifferences(result: ReconcileResult, source: Sql, warehouse: Sql): Promise<string> {
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    const runId = await runRepair({
      sql: source,
      bucket: ingestion,
      keys: await repairKeys(result, source),
      maxDeleteShare: shareFromEnv("INGEST_MAX_DELETE_SHARE", 0.1),
      now: () => Date.now(),
      entropy,
    });
    if (runId === null) throw new Error("Another ingest run holds the lock; try the repair again");
    await runTransform({ ingestion, processed, runId, badRows: badRowPolicy() });
    await runLoad({ sql: warehouse, processed, runId });
    console.error(`Repair run ${runId} written, transformed and loaded (${result.differences} key(s)).`);
    return runId;
  } finally {
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

async function reconcileCommand(
  tables: string[] | undefined,
  json: boolean,
  repair = false,
): Promise<number> {
  const source = await openDatabase("TOTESYS", "totes-reconcile", 2);
  const warehouse = await openDatabase("WAREHOUSE", "totes-reconcile", 2);
  const startedAt = new Date().toISOString();
  const options = { source, warehouse, clock: () => performance.now(), ...(tables ? { tables } : {}) };
  try {
    let result: ReconcileResult;
    try {
      result = await reconcile(options);
      if (repair && result.differences > 0) {
        await repairDifferences(result, source, warehouse);
        result = await reconcile(options);
      }
    } catch (err) {
      await recordReconcile(warehouse, startedAt, err as Error).catch(() => {});
      throw err;
    }
    try {
      await recordReconcile(warehouse, startedAt, result);
    } catch (err) {
      console.error(`Warning: the result could not be recorded in reconcile_log: ${(err as Error).message}`);
    }
    if (json) console.log(JSON.stringify(result, null, 1));
    else {
      console.log(
        `${"warehouse table".padEnd(30)}${"source".padEnd(15)}${pad("rows", 9)}${pad("wh rows", 9)}${
          pad("differ", 8)
        }${pad("time", 9)}`,
      );
      for (const t of result.tables) {
        console.log(
          `${t.table.padEnd(30)}${t.sourceTable.padEnd(15)}${pad(t.sourceRows, 9)}${pad(t.warehouseRows, 9)}${
            pad(t.differences.length, 8)
          }${pad(secs(t.ms), 9)}`,
        );
        const shown = t.differences.slice(0, 5).map((d) => `${d.key} (${d.kind})`).join(", ");
        if (shown) {
          const more = t.differences.length > 5 ? ` and ${t.differences.length - 5} more` : "";
          console.log(`  differing keys: ${shown}${more}`);
        }
      }
      console.log(
        result.differences === 0
          ? "\nThe warehouse equals ToteSys."
          : `\n${result.differences} differing key(s): run "deno task etl run" to carry pending changes; ` +
            `a difference that stays after a run (a warehouse edited by hand, a defect) is fixed by ` +
            `"deno task etl reconcile --repair" (and a defect is worth reporting).`,
      );
    }
    return result.differences === 0 ? 0 : 1;
  } finally {
    await source.end();
    await warehouse.end();
  }
}

async function statusCommand(runs: number, json: boolean): Promise<number> {
  const warehouse = await openDatabase("WAREHOUSE", "totes-status", 1);
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    const status = await collectStatus({ ingestion, processed, warehouse, runs });
    console.log(json ? JSON.stringify(status, null, 1) : formatStatus(status));
    return 0;
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

async function reportCommand(out: string): Promise<number> {
  const warehouse = await openDatabase("WAREHOUSE", "totes-report", 3);
  const processed = Deno.env.get("PROCESSED_BUCKET") ? bucketFromEnv("PROCESSED_BUCKET") : undefined;
  try {
    const t = performance.now();
    const [views] = await warehouse<{ ok: boolean }[]>`
      SELECT to_regclass('sales_by_month_currency') IS NOT NULL AS ok`;
    if (!views?.ok) {
      throw new Error(`The warehouse lacks the report's views (migration 4): run "deno task migrate" first`);
    }
    const report = await buildReport(warehouse, processed, () => performance.now());
    const path = resolve(out);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, report.html);
    const bytes = new TextEncoder().encode(report.html).length;
    console.log(path);
    console.error(
      `Report: ${(bytes / 1024).toFixed(0)} KiB in ${secs(performance.now() - t)} ` +
        `(queries ${secs(report.readMs)}, charts and page ${secs(report.renderMs)})`,
    );
    return 0;
  } finally {
    await warehouse.end();
    processed?.client.destroy();
  }
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (err) {
    console.error(`Error: ${(err as Error).message}`);
    code = err instanceof UsageError ? 2 : Deno.args[0] === "reconcile" ? 2 : 1;
  }
  Deno.exit(code);
}
