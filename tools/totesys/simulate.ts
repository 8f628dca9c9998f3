/**
 * ToteSys-like activity on an existing ToteSys database, for exercising incremental ingestion: new sales and
 * purchase orders (each with its transaction and payment), payments set paid, edited sales orders, addresses and
 * departments, new designs, and new counterparties with their new legal address.
 *
 * Every row written gets a `last_updated` (and new rows the same `created_at`) strictly later than the latest
 * `last_updated` of every ToteSys table before the run, at millisecond precision, computed from the database's
 * text (never from the clock). Unlike the live system (the ToteSys data notes (docs/design.md section 1; the dumps' README §5), "silent updates"),
 * every edit here bumps `last_updated`. The run is one transaction and deterministic given the seed and the
 * database state.
 *
 * @module
 */
import type { Sql } from "../../lib/io/pg.ts";
import { formatTimestamp, parseTimestamp } from "./civil_time.ts";
import { quoteIdent } from "../../lib/io/copy.ts";
import { deriveSeed, Rng } from "./prng.ts";
import { TOTESYS_COLUMNS, type TotesysTable } from "./seed_rows.ts";
import { type Bounds, type Kind, Run } from "./simulate_run.ts";
import { change } from "./simulate_changes.ts";

/** Options of {@link simulateActivity}. */
export interface SimulateOptions {
  /** Rows to insert or update, all tables together (an integer ≥ 1). The run writes exactly this many when it can. */
  changes: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

/** Rows inserted and updated in one table. */
export interface TableActivity {
  /** Rows added (new ids). */
  inserted: number;
  /** Rows that existed before the run and were changed (each counted once). */
  updated: number;
}

/** What {@link simulateActivity} did. */
export interface SimulateSummary {
  /** Per table (all 11, zeros included). No row is counted twice: each updated row existed before and changed once. */
  tables: Record<TotesysTable, TableActivity>;
  /** Rows inserted plus rows updated. */
  total: number;
  /** The latest `last_updated` of all tables before the run (`YYYY-MM-DD HH:MM:SS.mmm`). */
  since: string;
  /** The latest `last_updated` written by the run (equal to `since` when nothing was written). */
  until: string;
}

/** Relative frequency and rows written of each kind of change. */
const KINDS: readonly (readonly [kind: Kind, weight: number, rows: number])[] = [
  ["sale", 40, 3],
  ["purchase", 17, 3],
  ["pay", 25, 1],
  ["edit_sale", 10, 1],
  ["edit_address", 2, 1],
  ["edit_department", 1, 1],
  ["new_design", 3, 1],
  ["new_counterparty", 2, 2],
];

async function readState(db: Sql): Promise<{ since: string; bounds: Bounds }> {
  const tables = Object.keys(TOTESYS_COLUMNS) as TotesysTable[];
  const parts = tables.map((t) =>
    `SELECT '${t}' AS t, min(${quoteIdent(`${t}_id`)}) AS lo, max(${quoteIdent(`${t}_id`)}) AS hi,
            max(last_updated)::text AS latest FROM ${quoteIdent(t)}`
  );
  const rows = await db.unsafe(parts.join(" UNION ALL "));
  const bounds = {} as Bounds;
  let since: number | null = null;
  for (const r of rows) {
    bounds[r.t as TotesysTable] = { lo: (r.lo as number | null) ?? 1, hi: (r.hi as number | null) ?? 0 };
    if (r.latest !== null) since = Math.max(since ?? -Infinity, parseTimestamp(r.latest as string));
  }
  if (since === null || bounds.sales_order.hi < bounds.sales_order.lo) {
    throw new Error("ToteSys has no sales orders: seed it first (deno task seed)");
  }
  return { since: formatTimestamp(since), bounds };
}

/**
 * Makes about `options.changes` rows of ToteSys activity in the database behind `sql`, in one transaction. Each
 * step is one of: a new sales or purchase order with its transaction and payment (3 rows), a payment set paid,
 * an edited sales order (units_sold, agreed_delivery_date or agreed_delivery_location_id), an edited address
 * (phone) or department (manager), a new design, a new counterparty with its new legal address (2 rows). Steps
 * are drawn at random (weights 40/17/25/10/2/1/3/2) among those that still fit in the row budget, so the total is
 * exactly `changes` unless nothing fits (e.g. no unpaid payment is left for the last row).
 *
 * Timestamps advance from `since` (the latest `last_updated` before the run) by 1 ms–30 s per step.
 *
 * @returns the per-table summary; the database's `last_updated > since` rows are exactly the ones it counts.
 * @throws RangeError for a bad `changes`; Error when ToteSys has no sales orders; the server's errors (then
 *   nothing is kept).
 */
export async function simulateActivity(sql: Sql, options: SimulateOptions): Promise<SimulateSummary> {
  if (!Number.isSafeInteger(options.changes) || options.changes < 1) {
    throw new RangeError(`changes must be a positive integer, got ${options.changes}`);
  }
  return await sql.begin(async (tx) => {
    const db = tx as unknown as Sql;
    const { since, bounds } = await readState(db);
    const sinceMs = parseTimestamp(since);
    // The state's latest instant is mixed into the seed: successive runs differ, yet each is reproducible.
    const rng = new Rng(deriveSeed(options.seed ?? 1, sinceMs % 2_147_483_647));
    const run = new Run(db, rng, bounds, sinceMs);
    const types = await db`SELECT payment_type_name::text AS name, min(payment_type_id) AS id
                             FROM payment_type GROUP BY 1`;
    for (const r of types) run.paymentTypes.set(r.name as string, r.id as number);
    let left = options.changes;
    let candidates = KINDS.filter(([, , rows]) => rows <= left);
    while (left > 0 && candidates.length > 0) {
      const total = candidates.reduce((a, [, w]) => a + w, 0);
      let r = rng.float() * total;
      let chosen = candidates[candidates.length - 1]!;
      for (const k of candidates) {
        r -= k[1];
        if (r < 0) {
          chosen = k;
          break;
        }
      }
      if (await change(run, chosen[0])) left -= chosen[2];
      else candidates = candidates.filter((k) => k !== chosen);
      candidates = candidates.filter(([, , rows]) => rows <= left);
    }
    const totals = Object.values(run.tables).reduce((a, t) => a + t.inserted + t.updated, 0);
    return {
      tables: run.tables,
      total: totals,
      since,
      until: totals === 0 ? since : formatTimestamp(run.ms),
    };
  }) as SimulateSummary;
}
