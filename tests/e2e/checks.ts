/**
 * Warehouse checks shared by the end-to-end tests: fact counts against the source, every fact foreign key
 * resolving, money and times exact.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Sql } from "../../lib/io/pg.ts";
import { foreignKeys, WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";

/** Asserts that every foreign key of the warehouse (the contract's) resolves to a row of its dimension. */
export async function assertForeignKeysResolve(wh: Sql): Promise<void> {
  for (const { table: fact, column: col, references: { table: dim, column: key } } of foreignKeys()) {
    const [r] = await wh.unsafe(
      `SELECT count(*)::int AS n FROM ${fact} f LEFT JOIN ${dim} d ON d.${key} = f.${col} WHERE d.${key} IS NULL`,
    );
    assert.equal(r!.n, 0, `${fact}.${col} → ${dim}`);
  }
}

/** Row counts of all 11 warehouse tables. */
export async function warehouseCounts(wh: Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of WAREHOUSE_TABLE_NAMES) {
    const [r] = await wh.unsafe(`SELECT count(*)::int AS n FROM ${t}`);
    out[t] = r!.n;
  }
  return out;
}

/** Count of a source table. */
export async function sourceCount(src: Sql, table: string): Promise<number> {
  const [r] = await src.unsafe(`SELECT count(*)::int AS n FROM public."${table}"`);
  return r!.n;
}

/**
 * Asserts that the latest fact version of every source row equals the source row, column for column, with money
 * as exact text and times to the microsecond (sales orders and payments).
 */
export async function assertLatestFactsMatchSource(src: Sql, wh: Sql): Promise<void> {
  const so = await src.unsafe(
    `SELECT string_agg(concat_ws('|', sales_order_id, created_at::date, created_at::time,
      last_updated::date, last_updated::time, staff_id, counterparty_id, units_sold, unit_price, currency_id, design_id,
      agreed_payment_date, agreed_delivery_date, agreed_delivery_location_id), E'\\n' ORDER BY sales_order_id) AS s FROM sales_order`,
  );
  const fso = await wh.unsafe(`SELECT string_agg(concat_ws('|', sales_order_id, created_date, created_time,
      last_updated_date, last_updated_time, sales_staff_id, counterparty_id, units_sold, unit_price, currency_id,
      design_id, agreed_payment_date, agreed_delivery_date, agreed_delivery_location_id), E'\\n' ORDER BY sales_order_id) AS s
    FROM (SELECT DISTINCT ON (sales_order_id) * FROM fact_sales_order
          ORDER BY sales_order_id, sales_record_id DESC) latest`);
  assert.equal(fso[0]!.s, so[0]!.s, "fact_sales_order latest versions equal sales_order");
  const p = await src.unsafe(`SELECT string_agg(concat_ws('|', payment_id, created_at::time, transaction_id,
      payment_amount, paid, payment_date), E'\\n' ORDER BY payment_id) AS s FROM payment`);
  const fp = await wh.unsafe(`SELECT string_agg(concat_ws('|', payment_id, created_time, transaction_id,
      payment_amount, paid, payment_date), E'\\n' ORDER BY payment_id) AS s
    FROM (SELECT DISTINCT ON (payment_id) * FROM fact_payment
          ORDER BY payment_id, payment_record_id DESC) latest`);
  assert.equal(fp[0]!.s, p[0]!.s, "fact_payment latest versions equal payment");
}
