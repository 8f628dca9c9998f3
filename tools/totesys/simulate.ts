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
import { DAY_MS, formatDate, formatTimestamp, parseDate, parseTimestamp } from "./civil_time.ts";
import { quoteIdent } from "../../lib/io/copy.ts";
import { deriveSeed, Rng } from "./prng.ts";
import {
  addressRow,
  centsText,
  counterpartyRowAt,
  designRow,
  personName,
  randomItemCode,
  TOTESYS_COLUMNS,
  type TotesysTable,
} from "./seed_rows.ts";

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

type Kind =
  | "sale"
  | "purchase"
  | "pay"
  | "edit_sale"
  | "edit_address"
  | "edit_department"
  | "new_design"
  | "new_counterparty";

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

/** The id range of each table before the run: picks for edits stay inside it, so new rows are never edited. */
type Bounds = Record<TotesysTable, { lo: number; hi: number }>;

class Run {
  readonly tables = Object.fromEntries(
    Object.keys(TOTESYS_COLUMNS).map((t) => [t, { inserted: 0, updated: 0 }]),
  ) as Record<TotesysTable, TableActivity>;
  readonly edited = new Map<TotesysTable, Set<number>>();
  /** payment_type_id by name (the lowest id of each name). */
  readonly paymentTypes = new Map<string, number>();
  ms: number;

  constructor(readonly db: Sql, readonly rng: Rng, readonly bounds: Bounds, since: number) {
    this.ms = since;
  }

  /** Advances the simulated clock by 1 ms – 30 s and returns the new instant's text. */
  tick(): string {
    this.ms += this.rng.int(1, 30_000);
    return formatTimestamp(this.ms);
  }

  /**
   * A random pre-existing id of `table` (optionally matching `where`) not edited yet in this run, or null.
   * Deterministic: the first matching id at or after a random point, wrapping around.
   */
  async pick(table: TotesysTable, where = "TRUE", forEdit = false): Promise<number | null> {
    const { lo, hi } = this.bounds[table];
    if (hi < lo) return null;
    const pk = quoteIdent(`${table}_id`);
    const done = this.edited.get(table) ?? new Set<number>();
    for (let attempt = 0; attempt < 8; attempt++) {
      const from = this.rng.int(lo, hi);
      const rows = await this.db.unsafe(
        `(SELECT ${pk} AS id FROM ${quoteIdent(table)} WHERE ${pk} BETWEEN $1 AND $2 AND (${where})
           ORDER BY ${pk} LIMIT 1)
         UNION ALL
         (SELECT ${pk} FROM ${
          quoteIdent(table)
        } WHERE ${pk} BETWEEN $3 AND $1 AND (${where}) ORDER BY ${pk} LIMIT 1)
         LIMIT 1`,
        [from, hi, lo],
      );
      const id = rows[0]?.id as number | undefined;
      if (id === undefined) return null;
      if (!forEdit) return id;
      if (!done.has(id)) {
        done.add(id);
        this.edited.set(table, done);
        return id;
      }
    }
    return null;
  }

  /** Inserts one row (all columns but the id, in DDL order) and returns its new id. */
  async insert(table: TotesysTable, values: (string | number | boolean | null)[]): Promise<number> {
    const cols = TOTESYS_COLUMNS[table].slice(1);
    const params = cols.map((_, i) => `$${i + 1}`).join(", ");
    const [row] = await this.db.unsafe(
      `INSERT INTO ${quoteIdent(table)} (${cols.map(quoteIdent).join(", ")}) VALUES (${params})
       RETURNING ${quoteIdent(`${table}_id`)} AS id`,
      values,
    );
    this.tables[table].inserted++;
    return row!.id as number;
  }

  /** Sets `assignments` (column → value) and last_updated on row `id` of `table`. */
  async update(
    table: TotesysTable,
    id: number,
    assignments: Record<string, string | number | boolean | null>,
  ) {
    const cols = Object.keys(assignments);
    const sets = cols.map((c, i) => `${quoteIdent(c)} = $${i + 1}`).join(", ");
    const n = cols.length;
    await this.db.unsafe(
      `UPDATE ${quoteIdent(table)} SET ${sets}, last_updated = $${n + 1} WHERE ${
        quoteIdent(`${table}_id`)
      } = $${n + 2}`,
      [...Object.values(assignments), this.tick(), id],
    );
    this.tables[table].updated++;
  }
}

async function order(run: Run, sale: boolean): Promise<boolean> {
  const { rng } = run;
  const staff = await run.pick("staff");
  const counterparty = await run.pick("counterparty");
  const currency = await run.pick("currency");
  const location = await run.pick("address");
  const design = sale ? await run.pick("design") : 0;
  if (staff === null || counterparty === null || currency === null || location === null || design === null) {
    return false;
  }
  const at = run.tick();
  const day = Math.floor(run.ms / DAY_MS);
  const quantity = sale ? rng.int(1000, 100_000) : rng.int(1, 1000);
  const cents = sale ? rng.int(200, 400) : rng.int(300, 100_000);
  const delivery = formatDate(day + rng.int(0, 7));
  const payment = formatDate(day + rng.int(0, 6));
  const id = sale
    ? await run.insert("sales_order", [
      at,
      at,
      design,
      staff,
      counterparty,
      quantity,
      centsText(cents),
      currency,
      delivery,
      payment,
      location,
    ])
    : await run.insert("purchase_order", [
      at,
      at,
      staff,
      counterparty,
      randomItemCode(rng),
      quantity,
      centsText(cents),
      currency,
      delivery,
      payment,
      location,
    ]);
  const tx = await run.insert("transaction", [
    sale ? "SALE" : "PURCHASE",
    sale ? id : null,
    sale ? null : id,
    at,
    at,
  ]);
  await run.insert("payment", [
    at,
    at,
    tx,
    counterparty,
    centsText(quantity * cents),
    currency,
    run.paymentTypes.get(sale ? "SALES_RECEIPT" : "PURCHASE_PAYMENT") ?? (sale ? 1 : 3),
    false,
    payment,
    rng.int(10_000_000, 99_999_999),
    rng.int(10_000_000, 99_999_999),
  ]);
  return true;
}

async function change(run: Run, kind: Kind): Promise<boolean> {
  const { rng } = run;
  switch (kind) {
    case "sale":
    case "purchase":
      return await order(run, kind === "sale");
    case "pay": {
      const id = await run.pick("payment", "NOT paid", true);
      if (id === null) return false;
      await run.update("payment", id, { paid: true });
      return true;
    }
    case "edit_sale": {
      const id = await run.pick("sales_order", "TRUE", true);
      if (id === null) return false;
      const [row] = await run.db`
        SELECT units_sold, agreed_delivery_date, agreed_delivery_location_id FROM sales_order
         WHERE sales_order_id = ${id}`;
      const which = rng.int(0, 2);
      if (which === 0) {
        let units = rng.int(1000, 100_000);
        if (units === row!.units_sold) units = units === 100_000 ? 1000 : units + 1;
        await run.update("sales_order", id, { units_sold: units });
      } else if (which === 1) {
        const text = String(row!.agreed_delivery_date);
        const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDate(text) : Math.floor(run.ms / DAY_MS);
        const later = formatDate(day + rng.int(1, 14));
        await run.update("sales_order", id, { agreed_delivery_date: later });
      } else {
        const location = await run.pick(
          "address",
          `address_id <> ${Number(row!.agreed_delivery_location_id)}`,
        );
        if (location === null) return false;
        await run.update("sales_order", id, { agreed_delivery_location_id: location });
      }
      return true;
    }
    case "edit_address": {
      const id = await run.pick("address", "TRUE", true);
      if (id === null) return false;
      const phone = `${rng.int(0, 9999).toString().padStart(4, "0")} ${
        rng.int(0, 999_999).toString().padStart(6, "0")
      }`;
      await run.update("address", id, { phone });
      return true;
    }
    case "edit_department": {
      const id = await run.pick("department", "TRUE", true);
      if (id === null) return false;
      await run.update("department", id, { manager: personName(rng) });
      return true;
    }
    case "new_design": {
      const at = run.tick();
      const row = designRow(rng, 0, at, Math.floor(run.ms / DAY_MS));
      await run.insert("design", row.slice(1));
      return true;
    }
    case "new_counterparty": {
      const at = run.tick();
      const address = await run.insert("address", addressRow(rng, 0, at).slice(1));
      await run.insert("counterparty", counterpartyRowAt(rng, 0, address, at).slice(1));
      return true;
    }
  }
}

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
