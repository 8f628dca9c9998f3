/**
 * The state of one simulated-activity run (internal to tools/totesys/simulate.ts): the simulated clock, the rows
 * picked for edits, and inserts and updates that count what they write.
 *
 * @module
 */
import type { Sql } from "../../lib/io/pg.ts";
import { formatTimestamp } from "./civil_time.ts";
import { quoteIdent } from "../../lib/io/copy.ts";
import type { Rng } from "./prng.ts";
import { TOTESYS_COLUMNS, type TotesysTable } from "./seed_rows.ts";
import type { TableActivity } from "./simulate.ts";

/** A kind of change the simulator makes. */
export type Kind =
  | "sale"
  | "purchase"
  | "pay"
  | "edit_sale"
  | "edit_address"
  | "edit_department"
  | "new_design"
  | "new_counterparty";

/** The id range of each table before the run: picks for edits stay inside it, so new rows are never edited. */
export type Bounds = Record<TotesysTable, { lo: number; hi: number }>;

/** One run: its database transaction, PRNG, id bounds, simulated clock and what it wrote. */
export class Run {
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
