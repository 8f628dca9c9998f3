/**
 * A deterministic, streaming generator of realistic ToteSys data: every row of all 11 tables, as COPY text, from
 * a sales-order count and a seed. Pure (no clock, no `Math.random`, no I/O): the same options give the same rows,
 * byte for byte. Memory stays bounded: orders are made `batchSize` at a time.
 *
 * Business rules, all from the real dumps (the ToteSys data notes (docs/design.md section 1; the dumps' README §1), and checked there in SQL):
 * - reference rows at 2022-11-03 14:20:49.962 (address, currency, department, design 1–10, payment_type), parties
 *   at 14:20:51.563 (counterparty, staff), the first 10 orders at 14:20:52.186–188;
 * - then orders on weekdays 08:00–18:59, each 9.5–11 s past a minute, about 29 a business day (the real rate), or
 *   denser when needed to fit the run into about two years; purchase orders ≈ 0.43 × sales orders (2,958 / 6,941),
 *   randomly interleaved;
 * - units_sold 1,000–100,000, unit_price 2.00–4.00; item_quantity 1–1,000, item_unit_price 3.00–1,000.00; agreed
 *   delivery 0–7 days and agreed payment 0–6 days after the order's day, as `YYYY-MM-DD`;
 * - one transaction per order (SALE / PURCHASE) and one payment per transaction, with the same id, created with
 *   the order; payment_amount = quantity × unit price (so ≤ 1,000,000.00), payment_date = agreed payment date,
 *   payment_type 1 SALES_RECEIPT or 3 PURCHASE_PAYMENT (the only two the real data uses); about 70 % of payments due
 *   after their order's day are paid, by the daily 07:55:11 batch of their payment date (last_updated then), if
 *   that batch is not after the last order; the rest stay `paid = false`;
 * - designs (hundreds, growing slowly with the order count) are created over the same span, and an order uses
 *   only designs that existed before it.
 *
 * @module
 */
import { DAY_MS, formatTimestamp } from "./civil_time.ts";
import type { CopyRow } from "../../lib/io/copy.ts";
import { deriveSeed, Rng } from "./prng.ts";
import { type Order, ORDER_TABLES, orderStream, rowFormatter } from "./seed_orders.ts";
import { designMinutes, FIXED_COUNTS, minuteStartMs, PARTIES_MS, REFERENCE_MS, span } from "./seed_plan.ts";
import {
  addressRow,
  counterpartyRow,
  designRow,
  personName,
  staffRow,
  TOTESYS_COLUMNS,
  type TotesysTable,
} from "./seed_rows.ts";
import { CURRENCY_CODES, DEPARTMENTS, PAYMENT_TYPE_NAMES } from "./seed_words.ts";

export { FIXED_COUNTS };

/** Options of {@link generateTotesys}. */
export interface SeedOptions {
  /** Number of sales orders (an integer ≥ 0). */
  orders: number;
  /** PRNG seed (an integer; only its low 32 bits count). */
  seed: number;
  /** Rows per batch of an order table; default 50,000. Only memory and batch sizes depend on it, not the rows. */
  batchSize?: number;
}

/** Rows per table. */
export type SeedCounts = Record<TotesysTable, number>;

/** A batch of rows for one table, in FK-safe order relative to the batches before it. */
export interface TableBatch {
  /** The table the rows go to. */
  table: TotesysTable;
  /** The table's columns, in the order of each row's fields. */
  columns: readonly string[];
  /** Number of rows in `rows`. */
  count: number;
  /** The rows (made lazily while iterated; iterate once). */
  rows: Iterable<CopyRow>;
}

const PURCHASE_RATIO = 0.43;

/** Number of purchase orders for `orders` sales orders: round(0.43 × orders). */
export function purchaseOrderCount(orders: number): number {
  return Math.round(orders * PURCHASE_RATIO);
}

/** Number of designs for `orders` sales orders: 36 × orders^¼ within 12–5,000 (the real data: 324 for 6,941). */
export function designCount(orders: number): number {
  return Math.min(5000, Math.max(12, Math.round(36 * Math.sqrt(Math.sqrt(orders)))));
}

/** Rows per table that {@link generateTotesys} makes for these options. */
export function seedCounts(options: Pick<SeedOptions, "orders">): SeedCounts {
  checkOrders(options.orders);
  const purchases = purchaseOrderCount(options.orders);
  return {
    ...FIXED_COUNTS,
    design: designCount(options.orders),
    sales_order: options.orders,
    purchase_order: purchases,
    transaction: options.orders + purchases,
    payment: options.orders + purchases,
  };
}

function checkOrders(orders: number): void {
  if (!Number.isSafeInteger(orders) || orders < 0 || orders > 50_000_000) {
    throw new RangeError(`orders must be an integer from 0 to 50,000,000, got ${orders}`);
  }
}

/**
 * Generates every ToteSys row for `options`: first the reference tables (currency, payment_type, department,
 * address, design, counterparty, staff, one batch each), then sales_order, purchase_order, transaction and payment
 * in batches of `batchSize` rows. Loading the batches in the order they come satisfies every foreign key.
 *
 * Each order table is made by its own pass over the same orders (cheap: the random draws are redone, only that
 * table's text is made), so a table's batches are consecutive and memory does not grow with `orders`.
 * Ids start at 1 in every table; transaction_id = payment_id, numbered in time order across both order kinds.
 *
 * @throws RangeError when `orders` is not an integer in 0–50,000,000 or `batchSize` is not a positive integer.
 */
export function* generateTotesys(options: SeedOptions): Generator<TableBatch> {
  const counts = seedCounts(options);
  const batchSize = options.batchSize ?? 50_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError("batchSize must be a positive integer");
  }
  const seed = options.seed >>> 0;
  const { lastMinute, asOf } = span(seed, counts.sales_order, counts.purchase_order);
  const designAt = designMinutes(seed, counts.design, lastMinute);

  yield* referenceBatches(seed, counts, designAt);

  for (const [table, kind] of ORDER_TABLES) {
    const orders = orderStream(seed, counts.sales_order, counts.purchase_order, asOf, designAt, kind);
    const format = rowFormatter(table, seed);
    const total = kind === "sale"
      ? counts.sales_order
      : kind === "purchase"
      ? counts.purchase_order
      : counts.payment;
    for (let from = 0; from < total; from += batchSize) {
      const count = Math.min(batchSize, total - from);
      yield {
        table,
        columns: TOTESYS_COLUMNS[table],
        count,
        rows: (function* () {
          for (let i = 0; i < count; i++) yield format(orders.next().value as Order);
        })(),
      };
    }
  }
}

function batch(table: TotesysTable, rows: CopyRow[]): TableBatch {
  return { table, columns: TOTESYS_COLUMNS[table], count: rows.length, rows };
}

function* referenceBatches(seed: number, counts: SeedCounts, designAt: Int32Array): Generator<TableBatch> {
  const rng = new Rng(deriveSeed(seed, 1));
  const ref = formatTimestamp(REFERENCE_MS);
  const parties = formatTimestamp(PARTIES_MS);
  yield batch("currency", CURRENCY_CODES.map((code, i) => [String(i + 1), code, ref, ref]));
  yield batch("payment_type", PAYMENT_TYPE_NAMES.map((name, i) => [String(i + 1), name, ref, ref]));
  yield batch(
    "department",
    DEPARTMENTS.map(([name, location], i) => [String(i + 1), name, location, personName(rng), ref, ref]),
  );
  const addresses: CopyRow[] = [];
  for (let id = 1; id <= counts.address; id++) addresses.push(addressRow(rng, id, ref));
  yield batch("address", addresses);
  const designRng = new Rng(deriveSeed(seed, 5));
  const designs: CopyRow[] = [];
  for (let id = 1; id <= counts.design; id++) {
    const ms = id <= 10 ? REFERENCE_MS : minuteStartMs(designAt[id - 11]!) + 9500 + designRng.int(0, 1499);
    designs.push(designRow(designRng, id, formatTimestamp(ms), Math.floor(ms / DAY_MS)));
  }
  yield batch("design", designs);
  const counterparties: CopyRow[] = [];
  for (let id = 1; id <= counts.counterparty; id++) {
    counterparties.push(counterpartyRow(rng, id, counts.address, parties));
  }
  yield batch("counterparty", counterparties);
  const staff: CopyRow[] = [];
  for (let id = 1; id <= counts.staff; id++) staff.push(staffRow(rng, id, counts.department, parties));
  yield batch("staff", staff);
}
