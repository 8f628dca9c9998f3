/**
 * Bad and awkward ToteSys values end to end: unparsable dates, NULLs where the warehouse needs a value, unknown
 * currency codes, hostile text, NUMERIC beyond two decimals or beyond the warehouse's precision, negative
 * amounts, extreme dates and microsecond timestamps.
 */
import assert from "node:assert/strict";
import { cycle, digest, etl, ingest, insertSalesOrder, load, transform, withPipeline } from "./_helpers.ts";
import type { TransformManifest } from "../../lib/transform/manifest.ts";
import { transformManifestKey } from "../../lib/transform/manifest.ts";

Deno.test("an unparsable agreed date stops the transform naming table, key, column and value", () =>
  withPipeline("bad1", async (p) => {
    await insertSalesOrder(p.src.sql, 2, { agreed_delivery_date: `'31/02/2023'` });
    const r = await ingest(p);
    await assert.rejects(
      transform(p, r.runId!),
      /sales_order 2: agreed_delivery_date "31\/02\/2023" is not a date/,
    );
    assert.equal(await p.processed.exists(transformManifestKey(r.runId!)), false);
  }));

Deno.test("fail policy: a bad row fixed at the source lets the next `etl run` complete (no permanent stall)", () =>
  withPipeline("bad2", async (p) => {
    assert.equal((await etl(p, ["run"])).code, 0);
    await insertSalesOrder(p.src.sql, 2, {
      agreed_delivery_date: `'soon'`,
      last_updated: `'2023-01-01 00:00:00'`,
    });
    const failed = await etl(p, ["run"]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /sales_order 2: agreed_delivery_date "soon"/);
    // The operator fixes the row at the source, as the bad-row policy says (lib/transform/bad_row.ts).
    await p.src.sql`UPDATE sales_order SET agreed_delivery_date = '2023-02-01',
      last_updated = '2023-01-02 00:00:00' WHERE sales_order_id = 2`;
    const fixed = await etl(p, ["run"]);
    assert.equal(fixed.code, 0, fixed.stderr);
    const rows = await p.wh.sql`SELECT agreed_delivery_date::text AS d FROM fact_sales_order
      WHERE sales_order_id = 2 ORDER BY last_updated_date DESC, last_updated_time DESC LIMIT 1`;
    assert.deepEqual(rows.map((r) => r.d), ["2023-02-01"]);
  }));

Deno.test("quarantine policy: a currency 'XYZ' used by a sales order does not block the load", () =>
  withPipeline("bad3", async (p) => {
    await p.src
      .sql`INSERT INTO currency VALUES (3, 'XYZ', '2022-11-03 14:20:49.962', '2022-11-03 14:20:49.962')`;
    await insertSalesOrder(p.src.sql, 2, { currency_id: "3" });
    const r = await ingest(p);
    const t = await transform(p, r.runId!, "quarantine");
    assert.ok(t.quarantined >= 1);
    const m = (await p.processed.getJson<TransformManifest>(t.manifestKey))!;
    assert.ok(m.quarantine.currency, "the XYZ currency is quarantined");
    // The good rows must reach the warehouse; sales order 2 (which needs currency 3) must be quarantined
    // too, rather than make the whole load fail on a foreign key.
    await load(p, r.runId!);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_sales_order WHERE sales_order_id = 1`;
    assert.equal(n!.n, 1);
  }));

Deno.test("quarantine policy: once the bad currency is fixed at the source, `etl run` recovers", () =>
  withPipeline("bad3b", async (p) => {
    const env = { TRANSFORM_BAD_ROWS: "quarantine" };
    assert.equal((await etl(p, ["run"], env)).code, 0);
    await p.src.sql`INSERT INTO currency VALUES (3, 'XYZ', '2023-01-01', '2023-01-01')`;
    await insertSalesOrder(p.src.sql, 2, { currency_id: "3", last_updated: "'2023-01-01'" });
    await etl(p, ["run"], env); // may fail: the currency is bad
    await p.src
      .sql`UPDATE currency SET currency_code = 'EUR', last_updated = '2023-01-02' WHERE currency_id = 3`;
    const fixed = await etl(p, ["run"], env);
    assert.equal(fixed.code, 0, fixed.stderr);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM dim_currency WHERE currency_code = 'EUR'`;
    assert.equal(n!.n, 1);
  }));

Deno.test("quarantine policy: a NULL address city (NOT NULL dropped in ToteSys) does not block the load", () =>
  withPipeline("bad4", async (p) => {
    await p.src.sql.unsafe(`ALTER TABLE address ALTER COLUMN city DROP NOT NULL`);
    await p.src.sql`UPDATE address SET city = NULL WHERE address_id = 2`;
    const r = await ingest(p);
    await assert.rejects(transform(p, r.runId!), /address 2: city null is NULL/);
    const t = await transform(p, r.runId!, "quarantine");
    assert.ok(t.quarantined >= 1);
    await load(p, r.runId!);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_payment`;
    assert.ok(n!.n >= 0);
  }));

const HOSTILE = [
  "tab\there",
  "new\nline",
  "cr\rlf\r\n",
  "back\\slash \\N \\t \\\\",
  `quotes ' " \` ""`,
  "emoji 👜🧳 and é, ß, 漢字, RTL \u202e, ZWJ 👩‍👩‍👧",
  "\\N",
  "",
  " leading and trailing spaces ",
  "control \u0001\u0007\u001b\u007f \b \f \v",
  "x".repeat(200_000),
];

Deno.test("hostile text survives ToteSys -> warehouse byte for byte", () =>
  withPipeline("bad5", async (p) => {
    for (let i = 0; i < HOSTILE.length; i++) {
      await p.src.sql`INSERT INTO design VALUES (${i + 10}, '2022-11-03 14:20:49.962', ${HOSTILE[i]!},
        ${HOSTILE[(i + 1) % HOSTILE.length]!}, ${HOSTILE[
        (i + 2) % HOSTILE.length
      ]!}, '2022-11-03 14:20:49.962')`;
    }
    await cycle(p);
    const src = await p.src.sql`SELECT design_id, design_name, file_location, file_name FROM design
      ORDER BY design_id`;
    const wh = await p.wh.sql`SELECT design_id, design_name, file_location, file_name FROM dim_design
      ORDER BY design_id`;
    assert.deepEqual(wh.map((r) => ({ ...r })), src.map((r) => ({ ...r })));
  }));

Deno.test("NUMERIC: an exact amount written with trailing zeros (3.940, source ALTER TYPE numeric) loads as 3.94", () =>
  withPipeline("bad6", async (p) => {
    await p.src.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN unit_price TYPE numeric`);
    await p.src.sql`UPDATE sales_order SET unit_price = '3.940' WHERE sales_order_id = 1`;
    await cycle(p);
    const [r] = await p.wh.sql`SELECT unit_price::text AS v FROM fact_sales_order`;
    assert.equal(r!.v, "3.94");
  }));

Deno.test("NUMERIC: a third decimal (2.675) is never rounded: the run stops naming the value", () =>
  withPipeline("bad7", async (p) => {
    await p.src.sql.unsafe(`ALTER TABLE payment ALTER COLUMN payment_amount TYPE numeric`);
    await p.src.sql`UPDATE payment SET payment_amount = 2.675 WHERE payment_id = 1`;
    const r = await ingest(p);
    await assert.rejects(transform(p, r.runId!), /payment 1: payment_amount "2.675"/);
  }));

Deno.test("quarantine policy: a unit_price too big for the warehouse's numeric(10,2) is quarantined, not a load failure", () =>
  withPipeline("bad8", async (p) => {
    await p.src.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN unit_price TYPE numeric`);
    await insertSalesOrder(p.src.sql, 2, { unit_price: "123456789.12" });
    const r = await ingest(p);
    await transform(p, r.runId!, "quarantine");
    await load(p, r.runId!); // fact_sales_order.unit_price is numeric(10,2): at most 8 integer digits
    const rows = await p.wh.sql`SELECT sales_order_id FROM fact_sales_order ORDER BY 1`;
    assert.deepEqual(rows.map((x) => x.sales_order_id), [1]);
  }));

Deno.test("negative and zero amounts, and 0.01, stay exact", () =>
  withPipeline("bad9", async (p) => {
    await p.src.sql`UPDATE payment SET payment_amount = -10.50 WHERE payment_id = 1`;
    await p.src.sql`UPDATE payment SET payment_amount = -0.01 WHERE payment_id = 2`;
    await p.src.sql`UPDATE sales_order SET unit_price = 0 WHERE sales_order_id = 1`;
    await p.src.sql`UPDATE purchase_order SET item_unit_price = 99999999.99 WHERE purchase_order_id = 1`;
    await cycle(p);
    const pay = await p.wh.sql`SELECT payment_amount::text AS v FROM fact_payment ORDER BY payment_id`;
    assert.deepEqual(pay.map((r) => r.v), ["-10.50", "-0.01"]);
    const [so] = await p.wh.sql`SELECT unit_price::text AS v FROM fact_sales_order`;
    assert.equal(so!.v, "0.00");
    const [po] = await p.wh.sql`SELECT item_unit_price::text AS v FROM fact_purchase_order`;
    assert.equal(po!.v, "99999999.99");
  }));

Deno.test("microsecond timestamps reach the warehouse's dates and times exactly", () =>
  withPipeline("bad10", async (p) => {
    for (const c of ["created_at", "last_updated"]) {
      await p.src.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN ${c} TYPE timestamp(6)`);
    }
    await p.src.sql`UPDATE sales_order SET created_at = '2024-11-13 23:59:59.999999',
      last_updated = '2024-11-14 00:00:00.000001' WHERE sales_order_id = 1`;
    await cycle(p);
    const [r] = await p.wh
      .sql`SELECT created_date::text cd, created_time::text ct, last_updated_date::text ld,
      last_updated_time::text lt FROM fact_sales_order`;
    assert.deepEqual({ ...r }, {
      cd: "2024-11-13",
      ct: "23:59:59.999999",
      ld: "2024-11-14",
      lt: "00:00:00.000001",
    });
  }));

Deno.test("a BC created_at is not silently moved to the AD year of the same number", () =>
  withPipeline("bad11", async (p) => {
    await p.src.sql`UPDATE payment SET created_at = '0044-03-15 12:00:00 BC' WHERE payment_id = 1`;
    const r = await ingest(p);
    let loaded = true;
    try {
      await transform(p, r.runId!);
      await load(p, r.runId!);
    } catch {
      loaded = false; // refusing the row, naming it, is fine
    }
    if (loaded) {
      const [x] = await p.wh.sql`SELECT created_date::text AS d FROM fact_payment WHERE payment_id = 1`;
      assert.equal(x!.d, "0044-03-15 BC");
    }
  }));

Deno.test("agreed dates 0001-01-01 and 9999-12-31: the run completes and every later run stays cheap", () =>
  withPipeline("bad12", async (p) => {
    await insertSalesOrder(p.src.sql, 2, {
      agreed_delivery_date: `'9999-12-31'`,
      agreed_payment_date: `'0001-01-01'`,
    });
    const t0 = performance.now();
    await cycle(p);
    const first = performance.now() - t0;
    const [c] = await p.wh.sql`SELECT count(*)::int AS n, min(date_id)::text AS lo, max(date_id)::text AS hi
      FROM dim_date`;
    assert.deepEqual([c!.lo, c!.hi], ["0001-01-01", "9999-12-31"]);
    // An unrelated one-row change afterwards must not rewrite and reload ~3.65 million dim_date rows.
    await p.src.sql`UPDATE payment SET paid = true, last_updated = '2023-01-01' WHERE payment_id = 1`;
    const r = await ingest(p);
    const t = await transform(p, r.runId!);
    const t1 = performance.now();
    await load(p, r.runId!);
    const second = performance.now() - t1;
    assert.ok(
      (t.tables.dim_date ?? 0) < 100_000,
      `a one-payment run wrote ${t.tables.dim_date} dim_date rows (first run ${Math.round(first)} ms, ` +
        `its load ${Math.round(second)} ms)`,
    );
    assert.ok(Object.keys(await digest(p.wh.sql)).length === 11);
  }));
