import assert from "node:assert/strict";
import { freshBucket, freshDatabase } from "../harness.ts";
import { createBaseTotesys } from "../fixtures/totesys_rows.ts";
import { type IngestOptions, readIngestState, runIngest } from "../../lib/ingest/stage.ts";
import { INGEST_POINTER_KEY } from "../../lib/run/layout.ts";
import type { IngestManifest } from "../../lib/run/manifest.ts";
import { setLogSink } from "../../lib/io/log.ts";
import type { Bucket } from "../../lib/io/s3.ts";
import type { ObjectStore } from "../../lib/io/object_store.ts";
import { MemoryStore } from "../../lib/io/memory_store.ts";
import { connect, type Sql } from "../../lib/io/pg.ts";

setLogSink(() => {});

let clock = Date.UTC(2026, 10, 30, 9, 0, 0);
let dbUrl = "";
const opts = (sql: Sql, bucket: ObjectStore, extra: Partial<IngestOptions> = {}): IngestOptions => ({
  sql,
  bucket,
  copyConnection: () => connect(dbUrl, { max: 1 }),
  now: () => (clock += 1000),
  entropy: () => "abcdef",
  ...extra,
});

async function rowsOf(bucket: Bucket, key: string): Promise<Record<string, unknown>[]> {
  const bytes = await bucket.get(key);
  assert.ok(bytes, `object ${key} exists`);
  return new TextDecoder().decode(bytes).trimEnd().split("\n").map((l) => JSON.parse(l));
}

async function manifest(bucket: Bucket, key: string | null): Promise<IngestManifest> {
  assert.ok(key);
  return (await bucket.getJson<IngestManifest>(key))!;
}

async function withEnv(fn: (sql: Sql, bucket: Bucket) => Promise<void>): Promise<void> {
  const db = await freshDatabase("ing");
  const bucket = await freshBucket("ing");
  dbUrl = db.url;
  try {
    await createBaseTotesys(db.sql);
    await fn(db.sql, bucket);
  } finally {
    await db.drop();
  }
}

Deno.test("first run captures every row of every table with exact values", () =>
  withEnv(async (sql, bucket) => {
    const r = await runIngest(opts(sql, bucket));
    assert.equal(r.status, "committed");
    assert.deepEqual(
      Object.fromEntries(Object.entries(r.tables).map(([t, v]) => [t, v.rows])),
      {
        address: 2,
        currency: 2,
        department: 1,
        design: 1,
        payment_type: 1,
        counterparty: 1,
        staff: 1,
        sales_order: 1,
        purchase_order: 1,
        transaction: 2,
        payment: 2,
      },
    );
    const m = await manifest(bucket, r.manifestKey);
    assert.equal(m.previous_run_id, null);
    assert.match(m.run_id, /^[0-9A-Za-z_-]+$/);
    assert.equal(m.version, 2);
    assert.match(m.tables.sales_order.watermark!, /^\d+:\d+:[\d,]*$/, "the capture position is the snapshot");
    assert.equal(m.tables.sales_order.max_last_updated, "2022-11-03 14:20:52.186000");
    assert.equal(m.tables.payment.live_rows, 2);
    assert.equal(m.tables.address.object?.key, `address/2026/11/30/${m.run_id}.jsonl`);
    assert.match(m.tables.address.object!.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(m.tables.currency.columns.map((c) => `${c.name}:${c.type}`), [
      "currency_id:integer",
      "currency_code:character varying",
      "created_at:timestamp without time zone",
      "last_updated:timestamp without time zone",
    ]);
    const addresses = await rowsOf(bucket, m.tables.address.object!.key);
    addresses.sort((a, b) => Number(a.address_id) - Number(b.address_id));
    assert.deepEqual(addresses[0], {
      address_id: 1,
      address_line_1: "6826 Herzog Via",
      address_line_2: null,
      district: "Avon",
      city: "New Patienceburgh",
      postal_code: "28441",
      country: "Turkey",
      phone: "1803 637401",
      created_at: "2022-11-03 14:20:49.962000",
      last_updated: "2022-11-03 14:20:49.962000",
    });
    const payments = await rowsOf(bucket, m.tables.payment.object!.key);
    payments.sort((a, b) => Number(a.payment_id) - Number(b.payment_id));
    assert.equal(payments[0]!.payment_amount, "169316.88");
    assert.equal(payments[0]!.paid, false);
    assert.equal(payments[1]!.paid, true);
    const pt = await rowsOf(bucket, m.tables.payment_type.object!.key);
    assert.equal(pt[0]!.payment_type_name, "SALES_RECEIPT");
    assert.equal((await readIngestState(bucket)).run_id, m.run_id);
  }));

Deno.test("the ingest writes the same zone to the in-memory store as to S3 (the stage needs only ObjectStore)", () =>
  withEnv(async (sql, bucket) => {
    const memory = new MemoryStore();
    const saved = clock;
    const s3 = await runIngest(opts(sql, bucket));
    clock = saved; // the same run id in both stores
    const mem = await runIngest(opts(sql, memory));
    assert.equal(mem.status, "committed");
    assert.equal(mem.runId, s3.runId);
    const keys = await bucket.list("");
    assert.deepEqual(await memory.list(""), keys);
    const m3 = await manifest(bucket, s3.manifestKey);
    const mm = (await memory.getJson<IngestManifest>(mem.manifestKey!))!;
    for (const table of Object.keys(m3.tables) as (keyof IngestManifest["tables"])[]) {
      assert.deepEqual(mm.tables[table].object, m3.tables[table].object, table);
      assert.deepEqual(mm.tables[table].columns, m3.tables[table].columns, table);
    }
    for (const key of keys.filter((k) => k.endsWith(".jsonl"))) {
      assert.deepEqual(await memory.get(key), await bucket.get(key), key);
    }
    assert.equal((await runIngest(opts(sql, memory))).status, "no_changes");
  }));

Deno.test("a run with no source changes writes nothing and keeps the state", () =>
  withEnv(async (sql, bucket) => {
    const first = await runIngest(opts(sql, bucket));
    const keysBefore = await bucket.list("");
    const second = await runIngest(opts(sql, bucket));
    assert.equal(second.status, "no_changes");
    assert.equal(second.manifestKey, null);
    assert.deepEqual(await bucket.list(""), keysBefore);
    assert.equal((await readIngestState(bucket)).run_id, first.runId);
  }));

Deno.test("a row inserted later with the newest last_updated, to the microsecond, is captured once", () =>
  withEnv(async (sql, bucket) => {
    // timestamp(3) in the live schema: widen to microseconds (the pipeline keeps whatever precision it finds)
    await sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN last_updated TYPE timestamp(6)`);
    await sql`UPDATE sales_order SET last_updated = '2024-11-13 10:00:00.500123' WHERE sales_order_id = 1`;
    const r1 = await runIngest(opts(sql, bucket));
    const m1 = await manifest(bucket, r1.manifestKey);
    assert.equal(m1.tables.sales_order.max_last_updated, "2024-11-13 10:00:00.500123");
    await sql`INSERT INTO sales_order SELECT 2, created_at, last_updated, design_id, staff_id, counterparty_id,
      units_sold, unit_price, currency_id, agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id
      FROM sales_order WHERE sales_order_id = 1`;
    const r2 = await runIngest(opts(sql, bucket));
    assert.equal(r2.status, "committed");
    const m2 = await manifest(bucket, r2.manifestKey);
    const rows = await rowsOf(bucket, m2.tables.sales_order.object!.key);
    assert.deepEqual(rows.map((r) => [r.sales_order_id, r.last_updated]), [[
      2,
      "2024-11-13 10:00:00.500123",
    ]]);
    assert.equal(m2.tables.address.object, null);
    const r3 = await runIngest(opts(sql, bucket));
    assert.equal(r3.status, "no_changes");
  }));

Deno.test("changes stamped with an older last_updated (10 s, 10 min) are captured once: no lag window", () =>
  withEnv(async (sql, bucket) => {
    await runIngest(opts(sql, bucket));
    // committed after the run, with a last_updated 10 s before the payment watermark (2022-11-03 14:20:52.187)
    await sql`UPDATE payment SET paid = true, last_updated = '2022-11-03 14:20:42.187' WHERE payment_id = 1`;
    // and one 10 minutes before it: what the retired 300 s lag window lost
    await sql`UPDATE currency SET currency_code = 'EUR', last_updated = '2022-11-03 14:10:49.962' WHERE currency_id = 2`;
    const r2 = await runIngest(opts(sql, bucket));
    const m2 = await manifest(bucket, r2.manifestKey);
    const rows = await rowsOf(bucket, m2.tables.payment.object!.key);
    assert.deepEqual(rows.map((r) => [r.payment_id, r.paid, r.last_updated]), [
      [1, true, "2022-11-03 14:20:42.187000"],
    ]);
    const currencies = await rowsOf(bucket, m2.tables.currency.object!.key);
    assert.deepEqual(currencies.map((r) => [r.currency_id, r.currency_code]), [[2, "EUR"]]);
    assert.equal((await runIngest(opts(sql, bucket))).status, "no_changes");
  }));

Deno.test("a change committed while a run reads is captured by the next run, not this one", () =>
  withEnv(async (sql, bucket) => {
    const r1 = await runIngest(opts(sql, bucket, {
      afterTable: async (t) => {
        if (t === "address") {
          await sql`UPDATE address SET city = 'Leeds', last_updated = '2023-01-01 00:00:00.001' WHERE address_id = 1`;
          await sql`UPDATE payment SET paid = true, last_updated = '2023-01-01 00:00:00.002' WHERE payment_id = 1`;
        }
      },
    }));
    const m1 = await manifest(bucket, r1.manifestKey);
    const p1 = await rowsOf(bucket, m1.tables.payment.object!.key);
    assert.equal(p1.find((r) => r.payment_id === 1)!.paid, false);
    const r2 = await runIngest(opts(sql, bucket));
    const m2 = await manifest(bucket, r2.manifestKey);
    assert.deepEqual(
      (await rowsOf(bucket, m2.tables.address.object!.key)).map((r) => [r.address_id, r.city]),
      [
        [1, "Leeds"],
      ],
    );
    assert.deepEqual(
      (await rowsOf(bucket, m2.tables.payment.object!.key)).map((r) => [r.payment_id, r.paid]),
      [
        [1, true],
      ],
    );
    assert.equal(m2.previous_run_id, m1.run_id);
  }));

Deno.test("two overlapping runs: one captures, the other exits cleanly without writing", () =>
  withEnv(async (sql, bucket) => {
    const [a, b] = await Promise.all([runIngest(opts(sql, bucket)), runIngest(opts(sql, bucket))]);
    const statuses = [a.status, b.status].sort();
    // the second either found the lock taken, or ran after the first and found nothing new
    assert.ok(
      JSON.stringify(statuses) === '["committed","locked"]' ||
        JSON.stringify(statuses) === '["committed","no_changes"]',
      `statuses ${statuses}`,
    );
    assert.equal((await bucket.list("_manifests/ingest/")).length, 1);
    // a run while another session holds the lock writes nothing
    const holder = await sql.reserve();
    await holder`SELECT pg_advisory_lock(7461726573001)`;
    await sql`UPDATE design SET design_name = 'Oak', last_updated = '2023-02-02 00:00:00' WHERE design_id = 1`;
    const locked = await runIngest(opts(sql, bucket));
    assert.equal(locked.status, "locked");
    await holder`SELECT pg_advisory_unlock(7461726573001)`;
    holder.release();
    const after = await runIngest(opts(sql, bucket));
    assert.equal(after.tables.design?.rows, 1);
  }));

Deno.test("a failure after some objects were written leaves the watermark; the next run captures everything", () =>
  withEnv(async (sql, bucket) => {
    await assert.rejects(
      runIngest(opts(sql, bucket, {
        afterTable: (t) => {
          if (t === "staff") throw new Error("simulated crash after staff");
        },
      })),
      /simulated crash after staff/,
    );
    assert.deepEqual(await bucket.list("_manifests/"), []);
    assert.equal(await bucket.get(INGEST_POINTER_KEY), undefined);
    const r = await runIngest(opts(sql, bucket));
    assert.equal(r.status, "committed");
    assert.equal(r.tables.payment?.rows, 2);
    assert.equal(r.tables.address?.rows, 2);
  }));

Deno.test("schema drift: added, retyped and dropped unused columns are recorded; a needed one missing stops the run", () =>
  withEnv(async (sql, bucket) => {
    await runIngest(opts(sql, bucket));
    await sql.unsafe(`ALTER TABLE design ADD COLUMN price numeric`);
    await sql`UPDATE design SET price = 2.675, last_updated = '2023-03-03 00:00:00' WHERE design_id = 1`;
    const r = await runIngest(opts(sql, bucket));
    const m = await manifest(bucket, r.manifestKey);
    assert.deepEqual(m.tables.design.added_columns, ["price"]);
    const rows = await rowsOf(bucket, m.tables.design.object!.key);
    assert.equal(rows[0]!.price, "2.675");
    // ALTER ... TYPE rewrites the table with new xids: its rows are read again (the load finds them unchanged)
    await sql.unsafe(`ALTER TABLE design ALTER COLUMN price TYPE text`);
    const retyped = await manifest(bucket, (await runIngest(opts(sql, bucket))).manifestKey);
    assert.deepEqual(retyped.tables.design.retyped_columns, ["price: numeric -> text"]);
    await sql.unsafe(`ALTER TABLE design DROP COLUMN price`);
    await sql`UPDATE sales_order SET units_sold = 3 WHERE sales_order_id = 1`;
    const dropped = await manifest(bucket, (await runIngest(opts(sql, bucket))).manifestKey);
    assert.deepEqual(dropped.tables.design.dropped_columns, ["price"]);
    assert.equal(dropped.tables.sales_order.object?.rows, 1, "an unrelated change is delivered (C9)");
    await sql.unsafe(`ALTER TABLE staff DROP COLUMN email_address`);
    await assert.rejects(runIngest(opts(sql, bucket)), /staff\.email_address is missing/);
  }));
