/**
 * The order tables of the generated ToteSys data (sales_order, purchase_order, transaction, payment): one pass
 * over the orders per table, each row made from the same per-order random draws. Rules from
 * the ToteSys data notes (docs/design.md section 1; the dumps' README §1) (see seed.ts).
 *
 * @module
 */
import { DAY_MS, formatDate, formatTimestamp } from "./civil_time.ts";
import type { CopyRow } from "../../lib/io/copy.ts";
import { deriveSeed, Rng } from "./prng.ts";
import { FIXED_COUNTS, Timeline } from "./seed_plan.ts";
import { centsText, ItemCodes } from "./seed_rows.ts";

/** Real: 6,021 paid of the ~8,480 payments due after their order's day (≈ 0.71). */
const PAID_SHARE = 0.7;
const PAY_BATCH_MS = (7 * 3600 + 55 * 60 + 11) * 1000;

/** The order tables, in FK order, with the orders each one has a row for. */
export const ORDER_TABLES = [
  ["sales_order", "sale"],
  ["purchase_order", "purchase"],
  ["transaction", "all"],
  ["payment", "all"],
] as const;

/** One order with its transaction and payment, as numbers (ms instants, day numbers, pence/cents). */
export interface Order {
  sale: boolean;
  orderId: number;
  txId: number;
  ms: number;
  designId: number;
  staffId: number;
  counterpartyId: number;
  currencyId: number;
  locationId: number;
  quantity: number;
  cents: number;
  deliveryDay: number;
  payDay: number;
  /** When the payment was set paid (ms), or 0 when it is not paid. */
  paidMs: number;
  companyAc: number;
  counterpartyAc: number;
}

/**
 * The orders in time order (only those of `kind`), each drawn from the attribute stream in a fixed order; the
 * draws of skipped orders are made too, so every pass sees the same values.
 */
export function* orderStream(
  seed: number,
  salesCount: number,
  purchaseCount: number,
  asOf: number,
  designAt: Int32Array,
  kind: "sale" | "purchase" | "all",
): Generator<Order> {
  const t = new Timeline(seed, salesCount, purchaseCount);
  const rng = new Rng(deriveSeed(seed, 4));
  const counts = { designs: 0, sales: 0, purchases: 0, tx: 0 };
  while (t.next()) {
    const order = drawOrder(t, rng, counts, asOf, designAt);
    if (kind === "all" || (kind === "sale") === t.sale) yield order;
  }
}

/** Draws the next order of the timeline's current instant, always in the same order of draws. */
function drawOrder(
  t: Timeline,
  rng: Rng,
  counts: { designs: number; sales: number; purchases: number; tx: number },
  asOf: number,
  designAt: Int32Array,
): Order {
  const staffId = rng.int(1, FIXED_COUNTS.staff);
  const counterpartyId = rng.int(1, FIXED_COUNTS.counterparty);
  const currencyId = rng.int(1, FIXED_COUNTS.currency);
  const locationId = rng.int(1, FIXED_COUNTS.address);
  let designId = 0;
  let quantity: number;
  let cents: number;
  if (t.sale) {
    while (counts.designs < designAt.length && designAt[counts.designs]! < t.minute) counts.designs++;
    designId = rng.int(1, 10 + counts.designs);
    quantity = rng.int(1000, 100_000);
    cents = rng.int(200, 400);
  } else {
    quantity = rng.int(1, 1000);
    cents = rng.int(300, 100_000);
  }
  const day = Math.floor(t.ms / DAY_MS);
  const deliveryDay = day + rng.int(0, 7);
  const payDay = day + rng.int(0, 6);
  const paidRoll = rng.float();
  const paidMs = payDay * DAY_MS + PAY_BATCH_MS + rng.int(700, 899);
  const paid = payDay > day && paidMs <= asOf && paidRoll < PAID_SHARE;
  const companyAc = rng.int(10_000_000, 99_999_999);
  const counterpartyAc = rng.int(10_000_000, 99_999_999);
  const orderId = t.sale ? ++counts.sales : ++counts.purchases;
  counts.tx++;
  return {
    sale: t.sale,
    orderId,
    txId: counts.tx,
    ms: t.ms,
    designId,
    staffId,
    counterpartyId,
    currencyId,
    locationId,
    quantity,
    cents,
    deliveryDay,
    payDay,
    paidMs: paid ? paidMs : 0,
    companyAc,
    counterpartyAc,
  };
}

/** The function that makes `table`'s COPY row of an order. */
export function rowFormatter(table: (typeof ORDER_TABLES)[number][0], seed: number): (o: Order) => CopyRow {
  switch (table) {
    case "sales_order":
      return salesOrderRow;
    case "purchase_order": {
      const codes = new ItemCodes(deriveSeed(seed, 6));
      return (o) => purchaseOrderRow(o, codes);
    }
    case "transaction":
      return transactionRow;
    case "payment":
      return paymentRow;
  }
}

function salesOrderRow(o: Order): CopyRow {
  const created = formatTimestamp(o.ms);
  return [
    String(o.orderId),
    created,
    created,
    String(o.designId),
    String(o.staffId),
    String(o.counterpartyId),
    String(o.quantity),
    centsText(o.cents),
    String(o.currencyId),
    formatDate(o.deliveryDay),
    formatDate(o.payDay),
    String(o.locationId),
  ];
}

function purchaseOrderRow(o: Order, codes: ItemCodes): CopyRow {
  const created = formatTimestamp(o.ms);
  return [
    String(o.orderId),
    created,
    created,
    String(o.staffId),
    String(o.counterpartyId),
    codes.code(o.orderId),
    String(o.quantity),
    centsText(o.cents),
    String(o.currencyId),
    formatDate(o.deliveryDay),
    formatDate(o.payDay),
    String(o.locationId),
  ];
}

function transactionRow(o: Order): CopyRow {
  const created = formatTimestamp(o.ms);
  const id = String(o.orderId);
  return [
    String(o.txId),
    o.sale ? "SALE" : "PURCHASE",
    o.sale ? id : null,
    o.sale ? null : id,
    created,
    created,
  ];
}

function paymentRow(o: Order): CopyRow {
  const created = formatTimestamp(o.ms);
  return [
    String(o.txId),
    created,
    o.paidMs === 0 ? created : formatTimestamp(o.paidMs),
    String(o.txId),
    String(o.counterpartyId),
    centsText(o.quantity * o.cents),
    String(o.currencyId),
    o.sale ? "1" : "3",
    o.paidMs === 0 ? "f" : "t",
    formatDate(o.payDay),
    String(o.companyAc),
    String(o.counterpartyAc),
  ];
}
