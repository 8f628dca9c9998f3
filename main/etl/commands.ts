/**
 * The `etl` command's usage texts: the list of commands, and each command's usage and options.
 *
 * @module
 */
import type { CliOptions } from "../../lib/io/cli.ts";

/** Usage of `deno task etl` itself: the commands. */
export const USAGE =
  `Usage: deno task etl <command> [options]   (deno task etl <command> --help for its options)
  run                 ingest, transform and load (and finish any earlier run left half-way)
  ingest              read ToteSys changes into the ingestion zone
  transform --run ID  transform one ingest run into Parquet
  load --run ID       load one transformed run into the warehouse
  reconcile           compare ToteSys with the warehouse and name every differing key (--repair: fix them)
  rebuild             rebuild an empty warehouse from the ingestion zone alone
  status              the last runs, pending work, capture position, freshness, quarantine, last reconcile
  report [--out PATH] write an HTML report of sales and pipeline health (.local/report/index.html)`;

/** Each command's usage: what it does and its options. */
export const COMMANDS: Record<string, { usage: string; options: CliOptions }> = {
  run: {
    usage: `Usage: deno task etl run [--verbose] [--abandon-chunked]
  Ingest the changes since the last run, then transform and load every run not yet loaded (so a run left
  half-way earlier is completed), then print a report. Refused while a chunked first run can still commit.
  --verbose           print the JSON log lines on stderr
  --abandon-chunked   run even so: the chunked run is given up (it can then never commit)`,
    options: { verbose: { type: "boolean" }, "abandon-chunked": { type: "boolean" } },
  },
  ingest: {
    usage: `Usage: deno task etl ingest [--abandon-chunked]
  Read the ToteSys changes since the last run into the ingestion zone; prints the result as JSON. Refused while
  a chunked first run can still commit.
  --abandon-chunked   run even so: the chunked run is given up (it can then never commit)`,
    options: { "abandon-chunked": { type: "boolean" } },
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
    usage: `Usage: deno task etl rebuild [--into PREFIX] [--verbose]
  Rebuild the warehouse from the ingestion zone alone: every ingest run, in order, is transformed into a fresh
  processed location and loaded into the configured warehouse, which must be empty (point
  WAREHOUSE_DATABASE_URL at a new database). Resumable: run it again after a failure or a kill.
  --into PREFIX  the processed location, a key prefix in PROCESSED_BUCKET (default "rebuild/")
  --verbose      print the JSON log lines on stderr`,
    options: { into: { type: "string" }, verbose: { type: "boolean" } },
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
  with the stage each reached, rows, durations and outcome; runs pending or left half-way; chunked first runs
  not committed (chunks done, refused, or overtaken); per source table the capture position, the newest
  change in ToteSys at the last capture against the newest loaded (freshness), quarantined and waiting rows;
  the last reconcile.
  --runs N    how many runs to list (default 10)
  --json      print it as JSON`,
    options: { runs: { type: "string" }, json: { type: "boolean" } },
  },
};
