/**
 * The load's decisions over plain data (issue 13: a pure core under the thin runner in `stage.ts`): which files a
 * run loads and in which order, which deletions it records and with which time, whether a file is the one its
 * manifest lists, and when a fact's foreign keys are re-validated in one pass. Nothing here touches the warehouse,
 * the lake or the clock.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES, type WarehouseTableName } from "../contract/mod.ts";
import { idsOf } from "../id_ranges.ts";
import type { ManifestFile, TransformManifest } from "../run/manifest.ts";

/**
 * Staged rows from which a fact's merge re-validates its foreign keys in one pass (see {@link useBulkMerge}), and
 * from which a table found empty is filled by a plain insert with its indexes built after (empty_table.ts).
 */
export const BULK_ROWS = 20_000;

/** What one run's load does, in order. */
export interface LoadPlan {
  /** The Parquet files to copy and merge, in contract order: dim_date, the other dimensions, then the facts. */
  files: { table: WarehouseTableName; file: ManifestFile }[];
  /** The natural keys deleted at the source, per table in contract order: recorded after every merge. */
  deletions: { table: WarehouseTableName; ids: number[] }[];
  /**
   * When the deletions were detected: the manifest's `detected_at` (the ToteSys clock at the ingest snapshot, UTC,
   * microseconds), or, for manifests written before it existed, the load's start (ISO 8601 UTC).
   */
  detectedAt: string;
}

/**
 * The plan of a run's load (docs/design.md section 5: dimensions before facts, deletions after the merges so a
 * fact's last version is known).
 *
 * @param startedAt the load's start, ISO 8601 UTC: the deletion time when the manifest has none
 *
 * @example
 * ```ts
 * import { loadPlan } from "./plan.ts";
 * import assert from "node:assert/strict";
 *
 * const file = (key: string) => ({ key, rows: 1, bytes: 10, sha256: "00" });
 * const plan = loadPlan({
 *   kind: "transform",
 *   version: 1,
 *   run_id: "20261130T090000000Z-aaaaaa",
 *   previous_run_id: null,
 *   ingest_manifest: "_manifests/ingest/20261130T090000000Z-aaaaaa.json",
 *   tables: { fact_payment: file("f"), dim_date: file("d") },
 *   quarantine: {},
 *   date_range: null,
 *   deletions: { fact_payment: [[3, 5]] },
 * }, "2026-11-30T09:00:01.000Z");
 * assert.deepEqual(plan.files.map((f) => f.table), ["dim_date", "fact_payment"]);
 * assert.deepEqual(plan.deletions, [{ table: "fact_payment", ids: [3, 4, 5] }]);
 * assert.equal(plan.detectedAt, "2026-11-30T09:00:01.000Z");
 * ```
 */
export function loadPlan(manifest: TransformManifest, startedAt: string): LoadPlan {
  const files: LoadPlan["files"] = [];
  const deletions: LoadPlan["deletions"] = [];
  for (const table of WAREHOUSE_TABLE_NAMES) {
    const file = manifest.tables[table];
    if (file) files.push({ table, file });
  }
  for (const table of WAREHOUSE_TABLE_NAMES) {
    const ranges = manifest.deletions?.[table];
    if (ranges && ranges.length > 0) deletions.push({ table, ids: idsOf(ranges) });
  }
  return { files, deletions, detectedAt: manifest.detected_at ?? startedAt };
}

/**
 * Checks that `bytes` are the file the manifest lists (present, same SHA-256).
 *
 * @returns the bytes, when they are.
 * @throws Error naming the key when the object is missing or its hash differs (quoting both hashes).
 *
 * @example
 * ```ts
 * import { checkedFile } from "./plan.ts";
 * import assert from "node:assert/strict";
 *
 * const file = { key: "k", rows: 0, bytes: 0, sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" };
 * assert.equal(checkedFile(file, new Uint8Array()).length, 0);
 * assert.throws(() => checkedFile(file, undefined), /Parquet file k listed in the manifest is missing/);
 * assert.throws(() => checkedFile(file, new Uint8Array([1])), /has SHA-256 4bf5/);
 * ```
 */
export function checkedFile(file: ManifestFile, bytes: Uint8Array | undefined): Uint8Array {
  checkDigest(file, bytes && createHash("sha256").update(bytes).digest("hex"));
  return bytes!;
}

/**
 * Checks a file's SHA-256 (hex), computed while it was read, against its manifest entry's; `undefined` means the
 * object is missing.
 * @throws Error naming the key when the file is missing or its digest differs.
 */
export function checkDigest(file: ManifestFile, digest: string | undefined): void {
  if (digest === undefined) throw new Error(`Parquet file ${file.key} listed in the manifest is missing`);
  if (digest !== file.sha256) {
    throw new Error(`Parquet file ${file.key} has SHA-256 ${digest}, the manifest says ${file.sha256}`);
  }
}

/**
 * Checks that the rows staged from a file are as many as its manifest says.
 * @throws Error naming the key and both counts when they differ.
 *
 * @example
 * ```ts
 * import { checkStagedRows } from "./plan.ts";
 * import assert from "node:assert/strict";
 *
 * const file = { key: "dim_staff/2026/11/30/r.parquet", rows: 20, bytes: 900, sha256: "00" };
 * checkStagedRows(file, 20);
 * assert.throws(() => checkStagedRows(file, 19), /has 19 rows, the manifest says 20/);
 * ```
 */
export function checkStagedRows(file: ManifestFile, staged: number): void {
  if (staged !== file.rows) {
    throw new Error(`Parquet file ${file.key} has ${staged} rows, the manifest says ${file.rows}`);
  }
}

/**
 * Whether a merge re-validates the table's foreign keys in one pass (dropped before, added back after) instead of
 * row by row: for a fact with at least `bulkRows` staged rows (a first load, a backfill). Ten times faster, at
 * the price of an exclusive lock on the fact table until commit.
 *
 * @example
 * ```ts
 * import { useBulkMerge } from "./plan.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(useBulkMerge("fact_sales_order", 20_000, 20_000), true);
 * assert.equal(useBulkMerge("fact_sales_order", 19_999, 20_000), false);
 * assert.equal(useBulkMerge("dim_staff", 1_000_000, 20_000), false);
 * ```
 */
export function useBulkMerge(table: WarehouseTableName, staged: number, bulkRows: number): boolean {
  return WAREHOUSE_TABLES[table].kind === "fact" && staged >= bulkRows;
}

/**
 * Whether a table's merge takes the run id as its `$1` parameter (facts record the run of each version).
 *
 * @example
 * ```ts
 * import { mergeTakesRunId } from "./plan.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mergeTakesRunId("fact_payment"), true);
 * assert.equal(mergeTakesRunId("dim_currency"), false);
 * ```
 */
export function mergeTakesRunId(table: WarehouseTableName): boolean {
  return WAREHOUSE_TABLES[table].kind === "fact";
}
