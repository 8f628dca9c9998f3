import assert from "node:assert/strict";
import { freshBucket, freshDatabase } from "../harness.ts";
import { createBaseTotesys } from "../fixtures/totesys_rows.ts";
import { type IngestResult, runIngest } from "../../lib/ingest/stage.ts";
import { runTransform } from "../../lib/transform/stage.ts";
import type { TransformManifest } from "../../lib/transform/manifest.ts";
import { decodeParquet } from "../../lib/parquet/mod.ts";
import {
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  type WarehouseRow,
  type WarehouseTableName,
} from "../../lib/contract/mod.ts";
import { setLogSink } from "../../lib/io/log.ts";
import type { Bucket } from "../../lib/io/s3.ts";
import { connect, type Sql } from "../../lib/io/pg.ts";

setLogSink(() => {});
let clock = Date.UTC(2026, 10, 30, 10, 0, 0);

interface Env {
  sql: Sql;
  ingestion: Bucket;
  processed: Bucket;
  /** One ingest run with the given run-id entropy. */
  ingest(entropy?: string): Promise<IngestResult>;
  cycle(): Promise<TransformManifest>;
  rows(m: TransformManifest, t: WarehouseTableName): Promise<WarehouseRow[]>;
}

async function withEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  const db = await freshDatabase("tr");
  const ingestion = await freshBucket("tri");
  const processed = await freshBucket("trp");
  try {
    await createBaseTotesys(db.sql);
    const env: Env = {
      sql: db.sql,
      ingestion,
      processed,
      ingest(entropy = "0a0b0c") {
        return runIngest({
          sql: db.sql,
          copyConnection: () => connect(db.url, { max: 1 }),
          bucket: ingestion,
          now: () => (clock += 1000),
          entropy: () => entropy,
        });
      },
      async cycle() {
        const r = await env.ingest();
        assert.equal(r.status, "committed");
        const t = await runTransform({ ingestion, processed, runId: r.runId! });
        return (await processed.getJson<TransformManifest>(t.manifestKey))!;
      },
      async rows(m, t) {
        const f = m.tables[t];
        if (!f) return [];
        const out: WarehouseRow[] = [];
        for await (const batch of decodeParquet((await processed.get(f.key))!, WAREHOUSE_TABLES[t].columns)) {
          out.push(...batch);
        }
        return out;
      },
    };
    await fn(env);
  } finally {
    await db.drop();
  }
}

Deno.test("first run gives every warehouse table with exact golden rows", () =>
  withEnv(async ({ cycle, rows }) => {
    const m = await cycle();
    assert.deepEqual(Object.keys(m.tables), WAREHOUSE_TABLE_NAMES);
    const run = m.run_id;
    assert.deepEqual(await rows(m, "fact_sales_order"), [{
      sales_order_id: 1,
      created_date: "2022-11-03",
      created_time: "14:20:52.186000",
      last_updated_date: "2022-11-03",
      last_updated_time: "14:20:52.186000",
      sales_staff_id: 1,
      counterparty_id: 1,
      units_sold: 42972,
      unit_price: "3.94",
      currency_id: 1,
      design_id: 1,
      agreed_payment_date: "2022-11-08",
      agreed_delivery_date: "2022-11-07",
      agreed_delivery_location_id: 2,
    }]);
    assert.deepEqual(
      (await rows(m, "fact_payment")).map((r) => [r.payment_id, r.payment_amount, r.paid, r.payment_date]),
      [
        [1, "169316.88", false, "2022-11-08"],
        [2, "134138.89", true, "2022-11-07"],
      ],
    );
    assert.deepEqual((await rows(m, "fact_purchase_order"))[0]!.item_unit_price, "361.39");
    assert.deepEqual(await rows(m, "dim_currency"), [
      {
        currency_id: 1,
        currency_code: "GBP",
        currency_name: "British Pound",
        source_last_updated: "2022-11-03 14:20:49.962000",
        source_run_id: run,
      },
      {
        currency_id: 2,
        currency_code: "USD",
        currency_name: "US Dollar",
        source_last_updated: "2022-11-03 14:20:49.962000",
        source_run_id: run,
      },
    ]);
    assert.deepEqual(await rows(m, "dim_location"), [
      {
        location_id: 1,
        address_line_1: "6826 Herzog Via",
        address_line_2: null,
        district: "Avon",
        city: "New Patienceburgh",
        postal_code: "28441",
        country: "Turkey",
        phone: "1803 637401",
        source_last_updated: "2022-11-03 14:20:49.962000",
        source_run_id: run,
      },
      {
        location_id: 2,
        address_line_1: "179 Alexie Cliffs",
        address_line_2: "Flat 2",
        district: null,
        city: "Aliso Viejo",
        postal_code: "99305-7380",
        country: "San Marino",
        phone: "9621 880720",
        source_last_updated: "2022-11-03 14:20:49.962000",
        source_run_id: run,
      },
    ]);
    assert.deepEqual(await rows(m, "dim_staff"), [{
      staff_id: 1,
      first_name: "Jeremie",
      last_name: "Franey",
      department_name: "Sales",
      location: "Manchester",
      email_address: "jeremie.franey@terrifictotes.com",
      source_last_updated: "2022-11-03 14:20:49.962000",
      source_run_id: run,
    }]);
    assert.deepEqual(await rows(m, "dim_counterparty"), [{
      counterparty_id: 1,
      counterparty_legal_name: "Fahey and Sons",
      counterparty_legal_address_line_1: "179 Alexie Cliffs",
      counterparty_legal_address_line_2: "Flat 2",
      counterparty_legal_district: null,
      counterparty_legal_city: "Aliso Viejo",
      counterparty_legal_postal_code: "99305-7380",
      counterparty_legal_country: "San Marino",
      counterparty_legal_phone_number: "9621 880720",
      source_last_updated: "2022-11-03 14:20:49.962000",
      source_run_id: run,
    }]);
    assert.deepEqual(
      (await rows(m, "dim_transaction")).map((
        r,
      ) => [r.transaction_id, r.transaction_type, r.sales_order_id, r.purchase_order_id]),
      [
        [1, "SALE", 1, null],
        [2, "PURCHASE", null, 1],
      ],
    );
    const dates = await rows(m, "dim_date");
    assert.equal(dates.length, 365);
    assert.deepEqual(m.date_range, ["2022-01-01", "2022-12-31"]);
    assert.deepEqual(dates.find((d) => d.date_id === "2022-11-03"), {
      date_id: "2022-11-03",
      year: 2022,
      month: 11,
      day: 3,
      day_of_week: 4,
      day_name: "Thursday",
      month_name: "November",
      quarter: 4,
    });
  }));

Deno.test("a sales order updated twice gives one fact row per version; unchanged tables give no file", () =>
  withEnv(async ({ sql, cycle, rows }) => {
    await cycle();
    await sql`UPDATE sales_order SET units_sold = 100, last_updated = '2023-01-01 00:00:00.001' WHERE sales_order_id = 1`;
    const m2 = await cycle();
    await sql`UPDATE sales_order SET units_sold = 200, last_updated = '2023-01-02 00:00:00.002' WHERE sales_order_id = 1`;
    const m3 = await cycle();
    assert.deepEqual(Object.keys(m2.tables), ["dim_date", "fact_sales_order"]);
    const v2 = (await rows(m2, "fact_sales_order"))[0]!;
    const v3 = (await rows(m3, "fact_sales_order"))[0]!;
    assert.deepEqual([v2.units_sold, v2.last_updated_date, v2.last_updated_time], [
      100,
      "2023-01-01",
      "00:00:00.001000",
    ]);
    assert.deepEqual([v3.units_sold, v3.last_updated_date, v3.last_updated_time], [
      200,
      "2023-01-02",
      "00:00:00.002000",
    ]);
    assert.deepEqual(m3.date_range, ["2022-01-01", "2023-12-31"]);
  }));

Deno.test("a department rename re-emits all its staff; an address change re-emits its location and counterparties", () =>
  withEnv(async ({ sql, cycle, rows }) => {
    await cycle();
    await sql`INSERT INTO staff VALUES (2, 'Deron', 'Beier', 1, 'deron.beier@terrifictotes.com', '2022-11-03 14:20:51.563', '2022-11-03 14:20:51.563')`;
    const m2 = await cycle();
    assert.deepEqual((await rows(m2, "dim_staff")).map((r) => r.staff_id), [2]);
    await sql`UPDATE department SET department_name = 'Sales & Marketing', last_updated = '2023-05-05 12:00:00' WHERE department_id = 1`;
    await sql`UPDATE address SET city = 'Leeds', last_updated = '2023-05-05 12:00:01' WHERE address_id = 2`;
    const m3 = await cycle();
    const staff = await rows(m3, "dim_staff");
    assert.deepEqual(staff.map((r) => [r.staff_id, r.department_name, r.source_last_updated]), [
      [1, "Sales & Marketing", "2023-05-05 12:00:00.000000"],
      [2, "Sales & Marketing", "2023-05-05 12:00:00.000000"],
    ]);
    assert.deepEqual((await rows(m3, "dim_location")).map((r) => [r.location_id, r.city]), [[2, "Leeds"]]);
    assert.deepEqual(
      (await rows(m3, "dim_counterparty")).map((r) => [r.counterparty_id, r.counterparty_legal_city]),
      [
        [1, "Leeds"],
      ],
    );
    assert.equal(m3.tables.fact_sales_order, undefined);
  }));

Deno.test("re-running a transform writes byte-identical objects; a missing earlier run is transformed first", () =>
  withEnv(async ({ sql, ingest, ingestion, processed }) => {
    const r1 = await ingest("000001");
    await sql`UPDATE payment SET paid = true, last_updated = '2023-01-01 00:00:00' WHERE payment_id = 1`;
    const r2 = await ingest("000002");
    // run 2's event arrives first: run 1 is transformed before it
    const t2 = await runTransform({ ingestion, processed, runId: r2.runId! });
    assert.deepEqual(t2.caughtUp, [r1.runId]);
    const keys = (await processed.list("")).filter((k) => !k.startsWith("_state/"));
    const before = new Map<string, string>();
    for (const k of keys) before.set(k, new TextDecoder().decode(await processed.get(k)));
    await runTransform({ ingestion, processed, runId: r1.runId! });
    await runTransform({ ingestion, processed, runId: r2.runId! });
    for (const k of keys) assert.equal(new TextDecoder().decode(await processed.get(k)), before.get(k), k);
    assert.deepEqual((await processed.list("")).filter((k) => !k.startsWith("_state/")), keys);
  }));

Deno.test("bad rows: the run fails naming table, key, column and value; with quarantine they are kept aside", () =>
  withEnv(async ({ sql, ingest, ingestion, processed, cycle }) => {
    await cycle();
    await sql`UPDATE sales_order SET agreed_payment_date = '2024-02-30', last_updated = '2023-01-01 00:00:00' WHERE sales_order_id = 1`;
    const r = await ingest("00000f");
    await assert.rejects(
      runTransform({ ingestion, processed, runId: r.runId! }),
      /Cannot transform sales_order 1: agreed_payment_date "2024-02-30" is not a calendar date/,
    );
    assert.equal(await processed.get(`_manifests/transform/${r.runId}.json`), undefined);
    const t = await runTransform({ ingestion, processed, runId: r.runId!, badRows: "quarantine" });
    assert.equal(t.quarantined, 1);
    const m = (await processed.getJson<TransformManifest>(t.manifestKey))!;
    const q = new TextDecoder().decode(await processed.get(m.quarantine.sales_order!.key)).trim();
    const record = JSON.parse(q);
    assert.deepEqual([record.source_table, record.key, record.column, record.value], [
      "sales_order",
      1,
      "agreed_payment_date",
      "2024-02-30",
    ]);
    assert.equal(record.row.units_sold, 42972);
    assert.equal(m.tables.fact_sales_order, undefined);
  }));

Deno.test("a fact whose dimension row is missing waits in quarantine and loads once the row arrives", () =>
  withEnv(async ({ sql, ingest, ingestion, processed, cycle, rows }) => {
    await cycle();
    await sql.unsafe(`ALTER TABLE sales_order DROP CONSTRAINT sales_order_staff_id_fkey`);
    await sql`INSERT INTO sales_order VALUES (2, '2023-01-01 00:00:00', '2023-01-01 00:00:00', 1, 99, 1,
      10, 2.50, 1, '2023-01-07', '2023-01-08', 2)`;
    await sql`UPDATE sales_order SET units_sold = 5, last_updated = '2023-01-01 00:00:01' WHERE sales_order_id = 1`;
    const r = await ingest("0000a1");
    const t = await runTransform({ ingestion, processed, runId: r.runId! });
    assert.equal(t.quarantined, 1);
    const m = (await processed.getJson<TransformManifest>(t.manifestKey))!;
    assert.deepEqual((await rows(m, "fact_sales_order")).map((x) => [x.sales_order_id, x.units_sold]), [[
      1,
      5,
    ]]);
    const q = JSON.parse(new TextDecoder().decode(await processed.get(m.quarantine.sales_order!.key)).trim());
    assert.equal(
      q.reason,
      "Cannot transform sales_order 2: sales_staff_id 99 references a dim_staff row the warehouse does not have " +
        "(missing or quarantined); waiting: it loads with the run that brings that row",
    );
    // a run without staff 99 keeps it waiting; the run that brings staff 99 releases it
    await sql`UPDATE design SET design_name = 'Oak', last_updated = '2023-01-02 00:00:00' WHERE design_id = 1`;
    const m2 = (await processed.getJson<TransformManifest>(
      (await runTransform({ ingestion, processed, runId: (await ingest("0000a2")).runId! })).manifestKey,
    ))!;
    assert.equal(m2.tables.fact_sales_order, undefined);
    await sql`INSERT INTO staff VALUES (99, 'Late', 'Arrival', 1, 'late@terrifictotes.com', '2023-01-03', '2023-01-03')`;
    const m3 = (await processed.getJson<TransformManifest>(
      (await runTransform({ ingestion, processed, runId: (await ingest("0000a3")).runId! })).manifestKey,
    ))!;
    assert.deepEqual((await rows(m3, "dim_staff")).map((x) => x.staff_id), [99]);
    assert.deepEqual((await rows(m3, "fact_sales_order")).map((x) => [x.sales_order_id, x.sales_staff_id]), [[
      2,
      99,
    ]]);
    assert.deepEqual(m3.quarantine, {});
  }));

Deno.test("fail policy: a bad row that a later run already fixed is quarantined instead of stopping the pipeline", () =>
  withEnv(async ({ sql, ingest, ingestion, processed, cycle }) => {
    await cycle();
    await sql`UPDATE sales_order SET agreed_delivery_date = 'soon', last_updated = '2023-01-01 00:00:00'
      WHERE sales_order_id = 1`;
    const bad = await ingest("0000b1");
    await assert.rejects(
      runTransform({ ingestion, processed, runId: bad.runId! }),
      /agreed_delivery_date "soon"/,
    );
    await sql`UPDATE sales_order SET agreed_delivery_date = '2023-02-01', last_updated = '2023-01-02 00:00:00'
      WHERE sales_order_id = 1`;
    const fixed = await ingest("0000b2");
    const t = await runTransform({ ingestion, processed, runId: fixed.runId! });
    assert.deepEqual(t.caughtUp, [bad.runId]);
    const m = (await processed.getJson<TransformManifest>(`_manifests/transform/${bad.runId}.json`))!;
    const q = JSON.parse(new TextDecoder().decode(await processed.get(m.quarantine.sales_order!.key)).trim());
    assert.equal(q.reason, `is not a date (YYYY-MM-DD); superseded by run ${fixed.runId}`);
    assert.equal(t.tables.fact_sales_order, 1);
  }));

Deno.test("dim_date: each run writes only the days its dates add to the range; 9999-12-31 stays streamable", () =>
  withEnv(async ({ sql, cycle, rows }) => {
    const m1 = await cycle();
    assert.equal((await rows(m1, "dim_date")).length, 365);
    await sql`UPDATE sales_order SET units_sold = 1, last_updated = '2022-12-01 00:00:00' WHERE sales_order_id = 1`;
    const m2 = await cycle();
    assert.equal(m2.tables.dim_date, undefined, "no new days");
    await sql`UPDATE sales_order SET agreed_delivery_date = '2024-01-01', last_updated = '2022-12-02 00:00:00'
      WHERE sales_order_id = 1`;
    const m3 = await cycle();
    const added = await rows(m3, "dim_date");
    assert.deepEqual([added.length, added[0]!.date_id, added.at(-1)!.date_id], [
      731,
      "2023-01-01",
      "2024-12-31",
    ]);
    assert.deepEqual(m3.date_range, ["2022-01-01", "2024-12-31"]);
  }));

Deno.test("a waiting fact is dropped when a newer version of it arrives first", () =>
  withEnv(async ({ sql, ingest, ingestion, processed, cycle, rows }) => {
    await cycle();
    await sql.unsafe(`ALTER TABLE sales_order DROP CONSTRAINT sales_order_staff_id_fkey`);
    await sql`INSERT INTO sales_order VALUES (2, '2023-01-01 00:00:00', '2023-01-01 00:00:00', 1, 99, 1,
      10, 2.50, 1, '2023-01-07', '2023-01-08', 2)`;
    const step = async (e: string) => {
      const r = await ingest(e);
      const t = await runTransform({ ingestion, processed, runId: r.runId! });
      return (await processed.getJson<TransformManifest>(t.manifestKey))!;
    };
    assert.equal((await step("0000c1")).quarantine.sales_order?.rows, 1);
    await sql`UPDATE sales_order SET staff_id = 1, units_sold = 11, last_updated = '2023-01-02 00:00:00'
      WHERE sales_order_id = 2`;
    const m2 = await step("0000c2");
    assert.deepEqual((await rows(m2, "fact_sales_order")).map((x) => [x.sales_order_id, x.units_sold]), [[
      2,
      11,
    ]]);
    await sql`INSERT INTO staff VALUES (99, 'Late', 'Arrival', 1, 'late@terrifictotes.com', '2023-01-03', '2023-01-03')`;
    const m3 = await step("0000c3");
    assert.equal(m3.tables.fact_sales_order, undefined, "the stale waiting version is not released");
  }));
