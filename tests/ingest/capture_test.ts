/**
 * Change capture with SELECT only (issue 10; design.md section 2): silent edits, no-op updates, transactions held
 * open across runs, savepoints, table rewrites, deletes and the mass-delete guard, each against a real PostgreSQL
 * and the S3 emulator, each with the exact warehouse expected.
 *
 * The same tests run on the default server and on a PostgreSQL 13 server (the live ToteSys version) when the local
 * services provide one (TOTESYS13_DATABASE_URL).
 */
import assert from "node:assert/strict";
import { type Pipeline, withPipeline } from "../adversarial/_helpers.ts";
import { type IngestOptions, type IngestResult, runIngest } from "../../lib/ingest/stage.ts";
import { runTransform } from "../../lib/transform/stage.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { connect, type Sql } from "../../lib/io/pg.ts";
import type { IngestManifest } from "../../lib/run/manifest.ts";
import { captureServers } from "./_servers.ts";

let clock = Date.UTC(2026, 11, 2, 6, 0, 0);

async function ingest(p: Pipeline, extra: Partial<IngestOptions> = {}): Promise<IngestResult> {
  return await runIngest({
    sql: p.src.sql,
    copyConnection: () => connect(p.src.url, { max: 1 }),
    bucket: p.ingestion,
    now: () => (clock += 60_000),
    entropy: () => "cafe01",
    maxDeleteShare: 1,
    ...extra,
  });
}

/** Ingest, transform, load; the ingest result. */
async function run(p: Pipeline, extra: Partial<IngestOptions> = {}): Promise<IngestResult> {
  const r = await ingest(p, extra);
  if (r.status !== "committed") return r;
  await runTransform({ ingestion: p.ingestion, processed: p.processed, runId: r.runId! });
  await runLoad({ now: () => Date.now(), sql: p.wh.sql, processed: p.processed, runId: r.runId! });
  return r;
}

/** The sales order fact history: [record id, order id, units_sold, unit_price]. */
async function salesHistory(sql: Sql): Promise<unknown[][]> {
  const rows = await sql`SELECT sales_record_id, sales_order_id, units_sold, unit_price::text AS p
    FROM fact_sales_order ORDER BY sales_record_id`;
  return rows.map((r) => [r.sales_record_id, r.sales_order_id, r.units_sold, r.p]);
}

async function objectRows(p: Pipeline, r: IngestResult, table: string): Promise<Record<string, unknown>[]> {
  const m = (await p.ingestion.getJson<IngestManifest>(r.manifestKey!))!;
  const object = m.tables[table as keyof IngestManifest["tables"]].object;
  if (!object) return [];
  return new TextDecoder().decode(await p.ingestion.get(object.key)).trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
}

for (const server of captureServers()) {
  const name = (s: string) => `${s} (${server.label})`;
  const pipeline = (prefix: string, fn: (p: Pipeline) => Promise<void>) =>
    server.skip ? Promise.resolve(console.warn(server.skip)) : withPipeline(prefix, fn, true, server.source);

  Deno.test(
    name("a silent edit (no new last_updated) is captured by the next run"),
    () =>
      pipeline("cap1", async (p) => {
        await run(p);
        await p.src.sql`UPDATE sales_order SET units_sold = 7, agreed_delivery_date = '2022-12-01'
        WHERE sales_order_id = 1`;
        await p.src.sql`UPDATE design SET file_location = '/srv/designs' WHERE design_id = 1`;
        const r = await run(p);
        assert.equal(r.status, "committed");
        assert.deepEqual(await salesHistory(p.wh.sql), [[1, 1, 42972, "3.94"], [2, 1, 7, "3.94"]]);
        const [cur] = await p.wh
          .sql`SELECT units_sold, agreed_delivery_date::text AS d, last_updated_time::text AS t
        FROM fact_sales_order_current WHERE sales_order_id = 1`;
        assert.deepEqual({ ...cur }, { units_sold: 7, d: "2022-12-01", t: "14:20:52.186" });
        const [design] = await p.wh.sql`SELECT file_location FROM dim_design WHERE design_id = 1`;
        assert.equal(design!.file_location, "/srv/designs");
        assert.equal((await run(p)).status, "no_changes");
      }),
  );

  Deno.test(
    name("a no-op update adds no fact version and changes no dimension"),
    () =>
      pipeline("cap2", async (p) => {
        await run(p);
        const before = await p.wh.sql`SELECT * FROM dim_staff ORDER BY staff_id`;
        await p.src.sql`UPDATE sales_order SET units_sold = units_sold`;
        await p.src.sql`UPDATE staff SET first_name = first_name`;
        await p.src.sql`UPDATE payment SET paid = paid`;
        const r = await run(p);
        assert.equal(r.status, "committed", "the rows were rewritten: read again");
        assert.equal(r.tables.sales_order?.rows, 1);
        assert.deepEqual(await salesHistory(p.wh.sql), [[1, 1, 42972, "3.94"]]);
        const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_payment`;
        assert.equal(n!.n, 2);
        assert.deepEqual(await p.wh.sql`SELECT * FROM dim_staff ORDER BY staff_id`, before);
      }),
  );

  Deno.test(
    name("a transaction held open across three runs is captured once, by the run after its commit"),
    () =>
      pipeline("cap3", async (p) => {
        await run(p);
        const long = await p.src.sql.reserve();
        try {
          await long.unsafe("BEGIN");
          // stamped now, with an old last_updated: any lag window would have passed it long before the commit
          await long.unsafe(`UPDATE sales_order SET units_sold = 111 WHERE sales_order_id = 1`);
          for (let i = 0; i < 3; i++) {
            await p.src.sql`UPDATE payment SET paid = ${i % 2 === 0} WHERE payment_id = 2`;
            const r = await run(p);
            assert.equal(
              r.tables.sales_order?.rows ?? 0,
              0,
              `run ${i + 1}: the open transaction is not visible`,
            );
            assert.equal(r.tables.payment?.rows, 1);
          }
          await long.unsafe("COMMIT");
        } finally {
          long.release();
        }
        const r = await run(p);
        assert.deepEqual((await objectRows(p, r, "sales_order")).map((x) => x.units_sold), [111]);
        assert.equal((await run(p)).status, "no_changes");
        assert.deepEqual(await salesHistory(p.wh.sql), [[1, 1, 42972, "3.94"], [2, 1, 111, "3.94"]]);
        const pays = await p.wh
          .sql`SELECT paid FROM fact_payment WHERE payment_id = 2 ORDER BY payment_record_id`;
        assert.deepEqual(pays.map((x) => x.paid), [true, false, true]);
      }),
  );

  Deno.test(
    name("savepoints: writes in subtransactions commit with their transaction, rolled-back ones never"),
    () =>
      pipeline("cap4", async (p) => {
        await run(p);
        const long = await p.src.sql.reserve();
        try {
          await long.unsafe("BEGIN");
          await long.unsafe("SAVEPOINT a");
          await long.unsafe(`UPDATE sales_order SET units_sold = 5 WHERE sales_order_id = 1`);
          await long.unsafe("RELEASE SAVEPOINT a");
          await long.unsafe("SAVEPOINT b");
          await long.unsafe(`UPDATE payment SET paid = true WHERE payment_id = 1`);
          await long.unsafe("ROLLBACK TO SAVEPOINT b");
          await long.unsafe("SAVEPOINT c");
          await long.unsafe(`UPDATE currency SET currency_code = 'EUR' WHERE currency_id = 2`);
          // a run while the subtransactions' ids are below the snapshot's xmax but not in its in-progress list
          await p.src.sql`UPDATE design SET design_name = 'Oak' WHERE design_id = 1`;
          const mid = await run(p);
          assert.deepEqual(Object.keys(mid.tables).filter((t) => mid.tables[t as "design"]!.rows > 0), [
            "design",
          ]);
          await long.unsafe("COMMIT");
        } finally {
          long.release();
        }
        const r = await run(p);
        assert.deepEqual((await objectRows(p, r, "sales_order")).map((x) => x.units_sold), [5]);
        assert.deepEqual((await objectRows(p, r, "currency")).map((x) => x.currency_code), ["EUR"]);
        assert.deepEqual(await objectRows(p, r, "payment"), []);
        assert.equal((await run(p)).status, "no_changes");
        const [cur] = await p.wh.sql`SELECT currency_code FROM dim_currency WHERE currency_id = 2`;
        assert.equal(cur!.currency_code, "EUR");
        const pays = await p.wh.sql`SELECT payment_id, paid FROM fact_payment_current ORDER BY payment_id`;
        assert.deepEqual(pays.map((x) => [x.payment_id, x.paid]), [[1, false], [2, true]]);
      }),
  );

  Deno.test(
    name("a prepared transaction (two-phase commit) is captured once, after COMMIT PREPARED"),
    () =>
      pipeline("cap8", async (p) => {
        await run(p);
        const gid = `cap8-${crypto.randomUUID()}`;
        const tx = await p.src.sql.reserve();
        try {
          await tx.unsafe("BEGIN");
          await tx.unsafe(`UPDATE payment SET paid = true WHERE payment_id = 1`);
          await tx.unsafe(`PREPARE TRANSACTION '${gid}'`);
        } finally {
          tx.release();
        }
        try {
          const r = await run(p);
          assert.equal(r.status, "no_changes", "a prepared transaction is still in progress");
          await p.src.sql.unsafe(`COMMIT PREPARED '${gid}'`);
        } catch (err) {
          await p.src.sql.unsafe(`ROLLBACK PREPARED '${gid}'`).catch(() => {});
          throw err;
        }
        const r = await run(p);
        assert.deepEqual((await objectRows(p, r, "payment")).map((x) => [x.payment_id, x.paid]), [[1, true]]);
        assert.equal((await run(p)).status, "no_changes");
        const pays = await p.wh.sql`SELECT payment_id, paid FROM fact_payment_current ORDER BY payment_id`;
        assert.deepEqual(pays.map((x) => [x.payment_id, x.paid]), [[1, true], [2, true]]);
      }),
  );

  Deno.test(
    name("VACUUM FULL, CLUSTER and VACUUM FREEZE between runs create no versions"),
    () =>
      pipeline("cap5", async (p) => {
        await run(p);
        await p.src.sql.unsafe(`VACUUM FULL sales_order`);
        await p.src.sql.unsafe(`CLUSTER payment USING payment_pkey`);
        await p.src.sql.unsafe(`VACUUM (FREEZE) transaction`);
        const r = await run(p);
        assert.equal(r.status, "no_changes", JSON.stringify(r.tables));
        // a rewrite that does give rows new ids (ALTER ... TYPE): read again, and still no new version
        await p.src.sql.unsafe(
          `ALTER TABLE sales_order ALTER COLUMN units_sold TYPE integer USING units_sold + 0`,
        );
        const r2 = await run(p);
        assert.equal(r2.tables.sales_order?.rows, 1);
        assert.deepEqual(await salesHistory(p.wh.sql), [[1, 1, 42972, "3.94"]]);
      }),
  );

  Deno.test(
    name("deletes: a payment, then a sales order with its transaction and payment"),
    () =>
      pipeline("cap6", async (p) => {
        await run(p);
        await p.src.sql`DELETE FROM payment WHERE payment_id = 2`;
        const r1 = await run(p);
        assert.equal(r1.tables.payment?.deleted, 1);
        let pays = await p.wh.sql`SELECT payment_id FROM fact_payment_current ORDER BY payment_id`;
        assert.deepEqual(pays.map((x) => x.payment_id), [1]);
        const [hist] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_payment WHERE payment_id = 2`;
        assert.equal(hist!.n, 1, "the history stays");
        const [del] = await p.wh.sql`SELECT natural_id, last_record_id, run_id FROM fact_deletion`;
        assert.deepEqual({ ...del }, { natural_id: 2, last_record_id: 2, run_id: r1.runId });

        await p.src.sql`DELETE FROM payment WHERE payment_id = 1`;
        await p.src.sql`DELETE FROM transaction WHERE transaction_id = 1`;
        await p.src.sql`DELETE FROM sales_order WHERE sales_order_id = 1`;
        const r2 = await run(p);
        assert.deepEqual(
          [r2.tables.payment?.deleted, r2.tables.transaction?.deleted, r2.tables.sales_order?.deleted],
          [1, 1, 1],
        );
        pays = await p.wh.sql`SELECT payment_id FROM fact_payment_current`;
        assert.deepEqual([...pays], []);
        assert.deepEqual([...await p.wh.sql`SELECT sales_order_id FROM fact_sales_order_current`], []);
        const tx = await p.wh
          .sql`SELECT transaction_id, deleted_at IS NOT NULL AS deleted FROM dim_transaction
        ORDER BY transaction_id`;
        assert.deepEqual(tx.map((x) => [x.transaction_id, x.deleted]), [[1, true], [2, false]]);
        const dels = await p.wh
          .sql`SELECT fact_table, natural_id FROM fact_deletion ORDER BY fact_table, natural_id`;
        assert.deepEqual(dels.map((x) => [x.fact_table, x.natural_id]), [
          ["fact_payment", 1],
          ["fact_payment", 2],
          ["fact_sales_order", 1],
        ]);
        assert.equal((await run(p)).status, "no_changes");

        // the same key inserted again is live again, as a new version
        await p.src
          .sql`INSERT INTO payment VALUES (2, '2022-11-03 14:20:52.187', '2022-11-03 14:20:52.187', 2, 1,
        134138.89, 2, 1, true, '2022-11-07', 67305075, 78800181)`;
        await run(p);
        pays = await p.wh.sql`SELECT payment_id, payment_record_id FROM fact_payment_current`;
        assert.deepEqual(pays.map((x) => [x.payment_id, x.payment_record_id]), [[2, 3]]);
      }),
  );

  Deno.test(
    name("the mass-delete guard stops a run that would delete more than the share, changing nothing"),
    () =>
      pipeline("cap7", async (p) => {
        await p.src.sql.unsafe(
          `INSERT INTO transaction (transaction_id, transaction_type, created_at, last_updated)
        SELECT g, 'SALE', '2022-11-03 14:20:52.186', '2022-11-03 14:20:52.186' FROM generate_series(3, 100) g`,
        );
        await run(p);
        await p.src.sql`DELETE FROM transaction WHERE transaction_id BETWEEN 50 AND 60`; // 11 of 100
        await assert.rejects(
          ingest(p, { maxDeleteShare: 0.1 }),
          /11 of 100 transaction rows \(11\.0 %\) were deleted .* INGEST_MAX_DELETE_SHARE=0\.1/,
        );
        assert.equal((await p.ingestion.list("_manifests/ingest/")).length, 1, "no run committed");
        const r = await run(p, { maxDeleteShare: 0.2 });
        assert.equal(r.tables.transaction?.deleted, 11);
        const [n] = await p.wh
          .sql`SELECT count(*)::int AS n FROM dim_transaction WHERE deleted_at IS NOT NULL`;
        assert.equal(n!.n, 11);
      }),
  );
}
