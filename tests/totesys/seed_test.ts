import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import type { Sql } from "../../lib/io/pg.ts";
import {
  copyField,
  copyIn,
  copyLine,
  designCount,
  generateTotesys,
  seedCounts,
  seedDatabase,
  TOTESYS_COLUMNS,
  type TotesysTable,
} from "../../tools/totesys/mod.ts";
import { formatDate, formatTimestamp, parseDate, parseTimestamp } from "../../tools/totesys/civil_time.ts";

const TABLES = Object.keys(TOTESYS_COLUMNS) as TotesysTable[];

/** md5 of every row of every table, in id order: equal checksums mean identical contents. */
async function checksums(sql: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const [row] = await sql.unsafe(
      `SELECT md5(string_agg(x::text, ',' ORDER BY x.${t}_id)) AS h FROM ${t} x`,
    );
    out[t] = row!.h as string;
  }
  return out;
}

async function counts(sql: Sql): Promise<Record<string, number>> {
  const rows = await sql.unsafe(
    TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(" UNION ALL "),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

Deno.test("copyField escapes backslash, tab, newline, CR and NULL for COPY text format", () => {
  assert.equal(copyField(null), "\\N");
  assert.equal(copyField("plain O'Keefe"), "plain O'Keefe");
  assert.equal(copyField("a\\b\tc\nd\re"), "a\\\\b\\tc\\nd\\re");
  assert.equal(copyField("\\N"), "\\\\N");
  assert.equal(copyLine(["1", null, "x\ty"]), "1\t\\N\tx\\ty\n");
});

Deno.test("COPY text round-trips awkward values through a real PostgreSQL", async () => {
  const db = await freshDatabase("copy");
  try {
    await db.sql`CREATE TABLE t (id int, v text)`;
    const values = [
      "back\\slash",
      "tab\there",
      "new\nline",
      "cr\rhere",
      "\\N",
      "",
      "ünïcødé ✓",
      null,
      "a\b\f\vz",
    ];
    await copyIn(db.sql, "COPY t (id, v) FROM STDIN", [
      values.map((v, i) => copyLine([String(i), v])).join(""),
    ]);
    const rows = await db.sql`SELECT v FROM t ORDER BY id`;
    assert.deepEqual(rows.map((r) => r.v), values);
  } finally {
    await db.drop();
  }
});

Deno.test("civil time: UTC text formats and parses without a JS Date", () => {
  const ms = parseTimestamp("2024-02-29 23:59:59.999");
  assert.equal(formatTimestamp(ms), "2024-02-29 23:59:59.999");
  assert.equal(formatTimestamp(ms + 1), "2024-03-01 00:00:00.000");
  assert.equal(parseTimestamp("2022-11-03 14:20:49.96"), parseTimestamp("2022-11-03 14:20:49.960"));
  assert.equal(parseTimestamp("2022-11-03 14:20:49.123456"), parseTimestamp("2022-11-03 14:20:49.123"));
  assert.equal(formatDate(parseDate("1999-12-31") + 1), "2000-01-01");
  assert.equal(parseTimestamp("1970-01-01 00:00:00"), 0);
  assert.throws(() => parseTimestamp("2024-02-29T10:00:00Z"), /Not a timestamp/);
});

Deno.test("generator: row counts follow the plan, ids are dense and the output is deterministic", () => {
  const digest = (seed: number) => {
    const perTable: Record<string, number> = {};
    let text = "";
    for (const b of generateTotesys({ orders: 300, seed, batchSize: 64 })) {
      let n = 0;
      for (const row of b.rows) {
        assert.equal(row.length, b.columns.length);
        assert.equal(row[0], String((perTable[b.table] ?? 0) + ++n), `${b.table} ids are 1, 2, 3, ...`);
        text += copyLine(row);
      }
      assert.equal(n, b.count);
      perTable[b.table] = (perTable[b.table] ?? 0) + n;
    }
    return { perTable, text };
  };
  const a = digest(7);
  assert.deepEqual(a.perTable, seedCounts({ orders: 300 }));
  assert.equal(a.perTable.purchase_order, 129);
  assert.equal(digest(7).text, a.text);
  assert.notEqual(digest(8).text, a.text);
  assert.throws(() => seedCounts({ orders: -1 }), RangeError);
  assert.equal(designCount(6941), 329); // the real dump has 324 designs for 6,941 sales orders
});

Deno.test("seedDatabase: 500 orders give the planned rows, valid keys and real value ranges", async () => {
  const db = await freshDatabase("seed");
  try {
    const result = await seedDatabase(db.sql, { orders: 500, seed: 42, createSchema: true });
    const expected = {
      address: 30,
      counterparty: 20,
      currency: 3,
      department: 8,
      design: designCount(500),
      payment_type: 4,
      staff: 20,
      sales_order: 500,
      purchase_order: 215,
      transaction: 715,
      payment: 715,
    };
    assert.deepEqual(result, expected);
    assert.deepEqual(await counts(db.sql), expected);

    // Keys and foreign keys are back in place (the load drops them and adds them again, which checks every row).
    const [cons] = await db.sql`
      SELECT count(*) FILTER (WHERE contype = 'f')::int AS f, count(*) FILTER (WHERE contype = 'p')::int AS p,
             count(*) FILTER (WHERE contype = 'u')::int AS u
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace`;
    assert.deepEqual({ ...cons }, { f: 17, p: 11, u: 3 });
    const [orphans] = await db.sql`
      SELECT (SELECT count(*) FROM transaction t WHERE (t.sales_order_id IS NULL) = (t.purchase_order_id IS NULL))::int
               AS bad_tx,
             (SELECT count(*) FROM transaction t WHERE t.transaction_type::text <>
                CASE WHEN t.sales_order_id IS NULL THEN 'PURCHASE' ELSE 'SALE' END)::int AS bad_type,
             (SELECT count(*) FROM sales_order s JOIN design d USING (design_id) WHERE d.created_at > s.created_at)::int
               AS future_design`;
    assert.deepEqual({ ...orphans }, { bad_tx: 0, bad_type: 0, future_design: 0 });

    const [so] = await db.sql`
      SELECT min(units_sold) >= 1000 AND max(units_sold) <= 100000 AS units,
             min(unit_price) >= 2 AND max(unit_price) <= 4 AND bool_and(unit_price = round(unit_price, 2)) AS price,
             min(created_at)::text AS first,
             bool_and(created_at = last_updated) AS unchanged,
             bool_and(extract(isodow FROM created_at) <= 5 OR created_at < '2022-11-04') AS weekdays,
             bool_and(agreed_delivery_date::date - created_at::date BETWEEN 0 AND 7) AS delivery,
             bool_and(agreed_payment_date::date - created_at::date BETWEEN 0 AND 6) AS payment,
             bool_and(agreed_delivery_date ~ '^\\d{4}-\\d{2}-\\d{2}$') AS date_text,
             count(DISTINCT currency_id)::int AS currencies
        FROM sales_order`;
    assert.deepEqual({ ...so }, {
      units: true,
      price: true,
      first: "2022-11-03 14:20:52.186",
      unchanged: true,
      weekdays: true,
      delivery: true,
      payment: true,
      date_text: true,
      currencies: 3,
    });
    const [po] = await db.sql`
      SELECT min(item_quantity) >= 1 AND max(item_quantity) <= 1000 AS qty,
             min(item_unit_price) >= 3 AND max(item_unit_price) <= 1000 AS price,
             count(DISTINCT item_code) = count(*) AS unique_codes,
             bool_and(item_code ~ '^[A-Z0-9]{7}$') AS code_shape
        FROM purchase_order`;
    assert.deepEqual({ ...po }, { qty: true, price: true, unique_codes: true, code_shape: true });

    const [pay] = await db.sql`
      SELECT bool_and(p.payment_amount = coalesce(s.units_sold * s.unit_price, o.item_quantity * o.item_unit_price))
               AS amount,
             max(p.payment_amount) <= 1000000 AS amount_max,
             bool_and(p.payment_date = coalesce(s.agreed_payment_date, o.agreed_payment_date)) AS date,
             bool_and(p.payment_type_id = CASE WHEN s.sales_order_id IS NULL THEN 3 ELSE 1 END) AS type,
             bool_and(p.payment_id = p.transaction_id) AS ids,
             bool_and(p.created_at = t.created_at) AS created,
             bool_and(NOT p.paid OR (p.last_updated > p.created_at AND p.last_updated::date = p.payment_date::date
                                      AND p.last_updated::time BETWEEN '07:55:11' AND '07:55:12')) AS paid_rule,
             bool_and(p.paid OR p.last_updated = p.created_at) AS unpaid_rule,
             count(*) FILTER (WHERE p.paid)::int AS paid,
             bool_and(p.company_ac_number BETWEEN 10000000 AND 99999999) AS ac
        FROM payment p JOIN transaction t USING (transaction_id)
        LEFT JOIN sales_order s ON s.sales_order_id = t.sales_order_id
        LEFT JOIN purchase_order o ON o.purchase_order_id = t.purchase_order_id`;
    const { paid, ...rules } = pay!;
    assert.deepEqual(rules, {
      amount: true,
      amount_max: true,
      date: true,
      type: true,
      ids: true,
      created: true,
      paid_rule: true,
      unpaid_rule: true,
      ac: true,
    });
    assert.ok(paid > 715 * 0.4 && paid < 715 * 0.75, `paid share like the real 61 %: ${paid} of 715`);

    const [addr] = await db.sql`
      SELECT count(*) FILTER (WHERE address_line_2 IS NULL)::int AS no_line2,
             count(*) FILTER (WHERE district IS NULL)::int AS no_district,
             count(*) FILTER (WHERE address_line_2 = 'NULL' OR district = 'NULL')::int AS null_text
        FROM address`;
    assert.ok(addr!.no_line2 > 0 && addr!.no_line2 < 30 && addr!.no_district > 0 && addr!.no_district < 30);
    assert.equal(addr!.null_text, 0);
    const refs = await db.sql`SELECT currency_code FROM currency ORDER BY currency_id`;
    assert.deepEqual(refs.map((r) => r.currency_code), ["GBP", "USD", "EUR"]);
    const types = await db
      .sql`SELECT payment_type_name::text AS n FROM payment_type ORDER BY payment_type_id`;
    assert.deepEqual(types.map((r) => r.n), [
      "SALES_RECEIPT",
      "SALES_REFUND",
      "PURCHASE_PAYMENT",
      "PURCHASE_REFUND",
    ]);
    const [staff] = await db.sql`SELECT bool_and(email_address LIKE '%@terrifictotes.com') AS ok FROM staff`;
    assert.equal(staff!.ok, true);

    // Sequences continue after the loaded ids.
    const [next] = await db.sql`
      INSERT INTO currency (currency_code, last_updated) VALUES ('CHF', '2024-01-01') RETURNING currency_id`;
    assert.equal(next!.currency_id, 4);
  } finally {
    await db.drop();
  }
});

Deno.test("seedDatabase: the same seed gives identical databases, another seed different ones", async () => {
  const [a, b, c] = await Promise.all([
    freshDatabase("seeda"),
    freshDatabase("seedb"),
    freshDatabase("seedc"),
  ]);
  try {
    await Promise.all([
      seedDatabase(a.sql, { orders: 400, seed: 5, createSchema: true }),
      seedDatabase(b.sql, { orders: 400, seed: 5, createSchema: true, batchSize: 37 }),
      seedDatabase(c.sql, { orders: 400, seed: 6, createSchema: true }),
    ]);
    const [ha, hb, hc] = await Promise.all([checksums(a.sql), checksums(b.sql), checksums(c.sql)]);
    assert.deepEqual(hb, ha);
    assert.notEqual(hc.sales_order, ha.sales_order);
    assert.notEqual(hc.address, ha.address);
    assert.equal(hc.currency, ha.currency); // fixed reference rows
  } finally {
    await Promise.all([a.drop(), b.drop(), c.drop()]);
  }
});

Deno.test("seedDatabase: --if-empty skips a seeded database; a non-empty or missing schema is an error", async () => {
  const db = await freshDatabase("seedempty");
  try {
    await assert.rejects(seedDatabase(db.sql, { orders: 10, seed: 1 }), /tables are missing/);
    assert.notEqual(await seedDatabase(db.sql, { orders: 10, seed: 1, createSchema: true }), null);
    assert.equal(await seedDatabase(db.sql, { orders: 10, seed: 1, ifEmpty: true }), null);
    await assert.rejects(seedDatabase(db.sql, { orders: 10, seed: 1 }), /already have rows: address/);
    assert.equal((await counts(db.sql)).sales_order, 10);
  } finally {
    await db.drop();
  }
});
