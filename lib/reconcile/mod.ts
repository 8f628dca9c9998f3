/**
 * `reconcile`: proves the warehouse equal to ToteSys, or names every key that differs (issue 11; design.md
 * section 5). Per compared table (lib/reconcile/pairs.ts), each database computes a row count and an md5 over
 * its rows' comparison texts for key ranges; only ranges whose summaries differ are split further (16 ways),
 * down to ranges of at most 256 keys, whose rows are then compared key by key. With no differences, the data
 * moved is one summary per range, whatever the table's size.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import { type Pair, PAIRS, rowTextSql, type Side } from "./pairs.ts";
import { diffRows, type KeyDifference, type KeyRange, type RangeSummary, splitRange } from "./ranges.ts";

export { PAIRS } from "./pairs.ts";
export type { KeyDifference } from "./ranges.ts";

/**
 * Differences per table that keep both rows' comparison texts (1,000). Every differing key is kept; only the
 * texts stop: an empty warehouse against 300,000 orders (1.28M differing rows) held every source row's text and
 * ran out of the stage's 192 MiB heap.
 */
export const ROW_TEXTS_KEPT = 1_000;

/** Inputs of {@link reconcile}. */
export interface ReconcileOptions {
  /** ToteSys (read only). */
  source: Sql;
  /** The warehouse (read only). */
  warehouse: Sql;
  /** Compare only these warehouse tables (names from {@link PAIRS}); all by default. */
  tables?: readonly string[];
  /** Sub-ranges per split (default 16). */
  fanout?: number;
  /** Ranges of at most this many keys are compared row by row (default 256). */
  leaf?: number;
  /**
   * Milliseconds from a monotonic clock, for {@link TableReconcile.ms} (main/ passes `() => performance.now()`;
   * lib/ reads no clock). Default: no clock, every `ms` is 0.
   */
  clock?: () => number;
}

/** The result for one compared table. */
export interface TableReconcile {
  table: string;
  sourceTable: string;
  sourceRows: number;
  warehouseRows: number;
  /**
   * Every differing key, ascending. The first {@link ROW_TEXTS_KEPT} found carry both sides' comparison texts; the
   * rest only key and kind.
   */
  differences: KeyDifference[];
  /** Range summaries computed (per side). */
  ranges: number;
  ms: number;
}

/** The result of a reconcile. */
export interface ReconcileResult {
  tables: TableReconcile[];
  /** Total differing keys. */
  differences: number;
}

/**
 * Compares every table (or those asked for) and returns the differing keys.
 *
 * @throws Error naming the table and the database when a query fails (for example a warehouse not migrated).
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const wanted = options.tables ? new Set(options.tables) : null;
  if (wanted) {
    for (const t of wanted) {
      if (!PAIRS.some((p) => p.name === t)) {
        throw new Error(
          `Unknown table "${t}" for reconcile; choose from ${PAIRS.map((p) => p.name).join(", ")}`,
        );
      }
    }
  }
  const tables: TableReconcile[] = [];
  for (const pair of PAIRS) {
    if (wanted && !wanted.has(pair.name)) continue;
    tables.push(await reconcilePair(options, pair));
  }
  return { tables, differences: tables.reduce((a, t) => a + t.differences.length, 0) };
}

async function reconcilePair(options: ReconcileOptions, pair: Pair): Promise<TableReconcile> {
  const clock = options.clock ?? (() => 0);
  const t0 = clock();
  const fanout = options.fanout ?? 16;
  const leaf = options.leaf ?? 256;
  const src = side(options.source, pair.source, `ToteSys ${pair.sourceTable}`);
  const wh = side(options.warehouse, pair.warehouse, `warehouse ${pair.name}`);
  const [a, b] = await Promise.all([src.bounds(), wh.bounds()]);
  const result: TableReconcile = {
    table: pair.name,
    sourceTable: pair.sourceTable,
    sourceRows: a.rows,
    warehouseRows: b.rows,
    differences: [],
    ranges: 0,
    ms: 0,
  };
  const lo = Math.min(a.min ?? Infinity, b.min ?? Infinity);
  const hi = Math.max(a.max ?? -Infinity, b.max ?? -Infinity);
  let pending: KeyRange[] = lo <= hi ? [[lo, hi + 1]] : [];
  while (pending.length > 0) {
    const next: KeyRange[] = [];
    for (const range of pending) {
      if (range[1] - range[0] <= leaf) {
        const [s, w] = await Promise.all([src.rows(range), wh.rows(range)]);
        for (const d of diffRows(s, w)) {
          result.differences.push(
            result.differences.length < ROW_TEXTS_KEPT ? d : { key: d.key, kind: d.kind },
          );
        }
        continue;
      }
      const width = Math.ceil((range[1] - range[0]) / fanout);
      const [s, w] = await Promise.all([src.summaries(range, width), wh.summaries(range, width)]);
      const children = splitRange(range, fanout);
      result.ranges += children.length;
      children.forEach((child, i) => {
        const x = s.get(i);
        const y = w.get(i);
        if ((x?.rows ?? 0) !== (y?.rows ?? 0) || (x?.hash ?? "") !== (y?.hash ?? "")) next.push(child);
      });
    }
    pending = next;
  }
  result.differences.sort((x, y) => x.key - y.key);
  result.ms = Math.round(clock() - t0);
  return result;
}

/** The three queries reconcile runs on one side. */
function side(sql: Sql, s: Side, label: string) {
  const key = `(${s.key})::int8`;
  const text = `${key}::text || E'\\x1e' || ${rowTextSql(s)}`;
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new Error(`Reconcile could not read ${label} (${what}): ${(err as Error).message}`, {
        cause: err,
      });
    }
  };
  return {
    bounds: () =>
      wrap("bounds", async () => {
        const [r] = await sql.unsafe(
          `SELECT min(${key}) AS lo, max(${key}) AS hi, count(*) AS n FROM ${s.from}`,
        );
        return {
          min: r!.lo === null ? null : Number(r!.lo),
          max: r!.hi === null ? null : Number(r!.hi),
          rows: Number(r!.n),
        };
      }),
    summaries: ([lo, hi]: KeyRange, width: number) =>
      wrap("range summaries", async () => {
        const rows = await sql.unsafe(
          `SELECT ((${key} - $1::int8) / $3::int8)::int AS b, count(*) AS n,
             md5(string_agg(${text}, E'\\n' ORDER BY ${key})) AS h
           FROM ${s.from} WHERE ${key} >= $1::int8 AND ${key} < $2::int8 GROUP BY 1`,
          [lo, hi, width],
        );
        return new Map<number, RangeSummary>(
          rows.map((r) => [Number(r.b), { rows: Number(r.n), hash: r.h }]),
        );
      }),
    rows: ([lo, hi]: KeyRange) =>
      wrap("rows", async () => {
        const rows = await sql.unsafe(
          `SELECT ${key} AS k, ${
            rowTextSql(s)
          } AS t FROM ${s.from} WHERE ${key} >= $1::int8 AND ${key} < $2::int8`,
          [lo, hi],
        );
        return new Map<number, string>(rows.map((r) => [Number(r.k), r.t as string]));
      }),
  };
}
