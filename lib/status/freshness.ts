/**
 * Freshness per source table for `etl status`: the newest change ToteSys had at the last capture against the
 * newest change loaded into the warehouse.
 *
 * - "newest in ToteSys" comes from the latest *capture* run's manifest: a repair run (`purpose: "repair"`) reads
 *   only the keys reconcile named and records no `max_last_updated`, so it must not hide the capture's value.
 * - "newest loaded" is the newest `last_updated` in the table's own dimension or fact, so quarantined and waiting
 *   rows count as not loaded; department has no dimension of its own (dim_staff's version is the later of staff's
 *   and department's), so its value is the one captured by the latest loaded capture run.
 *
 * @module
 */
import type { Bucket } from "../io/s3.ts";
import type { Sql } from "../io/pg.ts";
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../contract/mod.ts";
import { type IngestManifest, ingestManifestKey } from "../run/mod.ts";
import type { TableStatus } from "./types.ts";

/** The warehouse table that shows how fresh each source table is, and the expression of its newest change. */
export const FRESHNESS_SOURCES: Record<SourceTableName, { table: string; newest: string | null }> = {
  address: { table: "dim_location", newest: "max(source_last_updated)" },
  currency: { table: "dim_currency", newest: "max(source_last_updated)" },
  // no dimension of its own: the latest loaded capture run says what was loaded (see the module doc)
  department: { table: "dim_staff", newest: null },
  design: { table: "dim_design", newest: "max(source_last_updated)" },
  payment_type: { table: "dim_payment_type", newest: "max(source_last_updated)" },
  counterparty: { table: "dim_counterparty", newest: "max(source_last_updated)" },
  staff: { table: "dim_staff", newest: "max(source_last_updated)" },
  sales_order: { table: "fact_sales_order", newest: "max(last_updated_date + last_updated_time)" },
  purchase_order: { table: "fact_purchase_order", newest: "max(last_updated_date + last_updated_time)" },
  transaction: { table: "dim_transaction", newest: "max(source_last_updated)" },
  payment: { table: "fact_payment", newest: "max(last_updated_date + last_updated_time)" },
};

/** Seconds from `a` to `b` (UTC texts `YYYY-MM-DD HH:MM:SS[.ffffff]`), never negative. */
export function secondsBetween(a: string, b: string): number {
  const t = (s: string) => Date.parse(`${s.replace(" ", "T").slice(0, 23)}Z`);
  return Math.max(0, Math.round((t(b) - t(a)) / 1000));
}

/**
 * The manifest of the latest capture run among `runIds` (sorted, oldest first), skipping repair runs; undefined
 * when there is none. Reads manifests from the newest back, usually one.
 */
export async function latestCapture(
  ingestion: Bucket,
  runIds: readonly string[],
): Promise<IngestManifest | undefined> {
  for (let i = runIds.length - 1; i >= 0; i--) {
    const m = await ingestion.getJson<IngestManifest>(ingestManifestKey(runIds[i]!));
    if (m && m.purpose !== "repair") return m;
  }
  return undefined;
}

/** The newest `last_updated` loaded per warehouse table of {@link FRESHNESS_SOURCES} (one query). */
async function newestLoadedByTable(warehouse: Sql): Promise<Record<string, string | null>> {
  const parts = [
    ...new Set(Object.values(FRESHNESS_SOURCES).filter((f) => f.newest).map((f) => `${f.table}|${f.newest}`)),
  ];
  const selects = parts.map((p) => {
    const [table, newest] = p.split("|") as [string, string];
    return `SELECT '${table}' AS t, to_char(${newest}, 'YYYY-MM-DD HH24:MI:SS.US') AS v FROM ${table}`;
  });
  const out: Record<string, string | null> = {};
  for (const r of await warehouse.unsafe<{ t: string; v: string | null }[]>(selects.join(" UNION ALL "))) {
    out[r.t] = r.v;
  }
  return out;
}

/** Inputs of {@link tableStatuses}. */
export interface FreshnessInputs {
  ingestion: Bucket;
  warehouse: Sql;
  /** Every ingested run id, oldest first, and those loaded. */
  ingested: readonly string[];
  isLoaded: (runId: string) => boolean;
  migrated: boolean;
  quarantined: Record<string, number>;
  waitingBy: Record<string, number>;
}

/** Per source table: capture position, freshness, quarantined and waiting rows (see the module doc). */
export async function tableStatuses(i: FreshnessInputs): Promise<TableStatus[]> {
  const latest = await latestCapture(i.ingestion, i.ingested);
  const loadedCapture = await latestCapture(i.ingestion, i.ingested.filter(i.isLoaded));
  const newestLoaded = i.migrated ? await newestLoadedByTable(i.warehouse) : {};
  return SOURCE_TABLE_NAMES.map((table) => {
    const entry = latest?.tables[table];
    const f = FRESHNESS_SOURCES[table];
    const newestInSource = entry?.max_last_updated ?? null;
    const loaded = f.newest
      ? newestLoaded[f.table] ?? null
      : loadedCapture?.tables[table]?.max_last_updated ?? null;
    return {
      table,
      warehouseTable: f.table,
      capturedBy: entry ? latest!.run_id : null,
      watermark: entry?.watermark ?? null,
      newestInSource,
      newestLoaded: loaded,
      lagSeconds: newestInSource && loaded ? secondsBetween(loaded, newestInSource) : null,
      quarantined: i.quarantined[table] ?? 0,
      waiting: i.waitingBy[table] ?? 0,
    };
  });
}
