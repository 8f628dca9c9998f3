/**
 * Randomised capture (issue 10): writers insert, update with and without a new `last_updated`, write identical
 * values, delete, and hold transactions open across runs, while runs are interrupted at random points (a crash in
 * the ingest after some table, or in the load after some table). After a final run the warehouse must equal
 * ToteSys, every table compared by reconcile.
 *
 * `make test` runs a short version. The long one: `CAPTURE_FUZZ_ITERATIONS=1000 deno test -A
 * tests/ingest/capture_random_test.ts`. The seed is printed; `CAPTURE_FUZZ_SEED=<n>` replays a failure.
 */
import assert from "node:assert/strict";
import { type Pipeline, withPipeline } from "../adversarial/_helpers.ts";
import { runIngest } from "../../lib/ingest/stage.ts";
import { runTransform } from "../../lib/transform/stage.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { connect, type Sql } from "../../lib/io/pg.ts";
import { reconcile } from "../../lib/reconcile/mod.ts";
import { SOURCE_TABLE_NAMES, WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";

const ITERATIONS = Number(Deno.env.get("CAPTURE_FUZZ_ITERATIONS") ?? 12);
const SEED = Number(Deno.env.get("CAPTURE_FUZZ_SEED") ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded PRNG, so a failure replays from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Crash extends Error {}

let clock = Date.UTC(2026, 11, 2, 12, 0, 0);

/**
 * One run that may crash at a random point; returns the run id when the ingest committed (even when the transform
 * or the load then crashed: the final load must catch that run up, so the test has to know it exists).
 */
async function run(p: Pipeline, rnd: () => number): Promise<string | null> {
  const crashIngestAt = rnd() < 0.15
    ? SOURCE_TABLE_NAMES[Math.floor(rnd() * SOURCE_TABLE_NAMES.length)]
    : null;
  const crashLoadAt = rnd() < 0.15
    ? WAREHOUSE_TABLE_NAMES[Math.floor(rnd() * WAREHOUSE_TABLE_NAMES.length)]
    : null;
  let committed: string | null = null; // an ingest that committed counts even when a later stage crashes
  try {
    const r = await runIngest({
      sql: p.src.sql,
      copyConnection: () => connect(p.src.url, { max: 1 }),
      bucket: p.ingestion,
      now: () => (clock += 60_000),
      entropy: () => "f0f0f0",
      maxDeleteShare: 1,
      afterTable: (t) => {
        if (t === crashIngestAt) throw new Crash(`ingest crash after ${t}`);
      },
    });
    if (r.status !== "committed") return null;
    committed = r.runId;
    await runTransform({ ingestion: p.ingestion, processed: p.processed, runId: r.runId!, badRows: "fail" });
    await runLoad({
      now: () => Date.now(),
      sql: p.wh.sql,
      processed: p.processed,
      runId: r.runId!,
      afterTable: (t) => {
        if (t === crashLoadAt) throw new Crash(`load crash after ${t}`);
      },
    });
    return r.runId;
  } catch (err) {
    if (err instanceof Crash || (err as Error).cause instanceof Crash) return committed;
    throw err;
  }
}

/** One random write on `sql` (a pooled client or an open transaction). */
async function write(sql: Sql, rnd: () => number, ids: { next: number }): Promise<void> {
  const pick = rnd();
  const so = 1 + Math.floor(rnd() * ids.next);
  const bump = rnd() < 0.5 ? `, last_updated = now() AT TIME ZONE 'UTC'` : "";
  if (pick < 0.2) {
    const id = ++ids.next;
    await sql.unsafe(`INSERT INTO sales_order (sales_order_id, created_at, last_updated, design_id, staff_id,
      counterparty_id, units_sold, unit_price, currency_id, agreed_delivery_date, agreed_payment_date,
      agreed_delivery_location_id) SELECT ${id}, created_at, now() AT TIME ZONE 'UTC', design_id, staff_id,
      counterparty_id, ${1 + Math.floor(rnd() * 1000)}, ${(rnd() * 1000).toFixed(2)}, currency_id,
      agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id FROM sales_order
      ORDER BY sales_order_id LIMIT 1`);
  } else if (pick < 0.45) {
    await sql.unsafe(`UPDATE sales_order SET units_sold = ${1 + Math.floor(rnd() * 1000)}${bump}
      WHERE sales_order_id = ${so}`);
  } else if (pick < 0.55) {
    await sql.unsafe(`UPDATE sales_order SET units_sold = units_sold WHERE sales_order_id = ${so}`);
  } else if (pick < 0.62) {
    // only orders no transaction references can go
    await sql.unsafe(`DELETE FROM sales_order WHERE sales_order_id = ${so} AND sales_order_id > 1`);
  } else if (pick < 0.72) {
    await sql.unsafe(
      `UPDATE payment SET paid = NOT paid${bump} WHERE payment_id = ${1 + Math.floor(rnd() * 2)}`,
    );
  } else if (pick < 0.8) {
    await sql.unsafe(
      `UPDATE design SET file_location = '/d${Math.floor(rnd() * 5)}'${bump} WHERE design_id = 1`,
    );
  } else if (pick < 0.88) {
    await sql.unsafe(`UPDATE address SET city = 'C${Math.floor(rnd() * 5)}'${bump}
      WHERE address_id = ${1 + Math.floor(rnd() * 2)}`);
  } else if (pick < 0.94) {
    await sql.unsafe(
      `UPDATE department SET location = 'L${Math.floor(rnd() * 5)}'${bump} WHERE department_id = 1`,
    );
  } else {
    await sql.unsafe(`UPDATE staff SET first_name = first_name WHERE staff_id = 1`);
  }
}

Deno.test(`randomised writers, open transactions and crashed runs end with the warehouse equal to ToteSys (seed ${SEED})`, () =>
  withPipeline("fuzz", async (p) => {
    console.log(`capture fuzz: seed ${SEED}, ${ITERATIONS} iterations (replay: CAPTURE_FUZZ_SEED=${SEED})`);
    const rnd = prng(SEED);
    const ids = { next: 1 };
    const open: { sql: Sql & { release(): void }; runsLeft: number; commit: boolean }[] = [];
    let last: string | null = null;
    for (let i = 0; i < ITERATIONS; i++) {
      const writes = Math.floor(rnd() * 6);
      for (let w = 0; w < writes; w++) await write(p.src.sql, rnd, ids);
      if (rnd() < 0.3 && open.length < 3) {
        const tx = await p.src.sql.reserve();
        await tx.unsafe("BEGIN");
        const savepoint = rnd() < 0.5;
        if (savepoint) await tx.unsafe("SAVEPOINT s");
        const mayLock = open.length === 0; // only one open transaction at a time touches purchase order 1
        // its own inserts use ids far from the others', so the writers never block one another
        const own = { next: 100_000 * (open.length + 1) + i * 100 };
        for (let w = 0; w < 1 + Math.floor(rnd() * 3); w++) {
          if (rnd() < 0.5 || !mayLock) {
            await tx.unsafe(
              `INSERT INTO sales_order SELECT ${++own.next}, created_at, last_updated, design_id,
              staff_id, counterparty_id, 5, 5.55, currency_id, agreed_delivery_date, agreed_payment_date,
              agreed_delivery_location_id FROM sales_order WHERE sales_order_id = 1`,
            );
          } else {
            await tx.unsafe(`UPDATE purchase_order SET item_quantity = ${Math.floor(rnd() * 100)}
              WHERE purchase_order_id = 1`);
          }
        }
        if (savepoint && rnd() < 0.4) await tx.unsafe("ROLLBACK TO SAVEPOINT s");
        open.push({ sql: tx, runsLeft: 1 + Math.floor(rnd() * 3), commit: rnd() < 0.8 });
      }
      last = (await run(p, rnd)) ?? last;
      for (const t of [...open]) {
        if (--t.runsLeft > 0) continue;
        await t.sql.unsafe(t.commit ? "COMMIT" : "ROLLBACK");
        t.sql.release();
        open.splice(open.indexOf(t), 1);
      }
    }
    for (const t of open) {
      await t.sql.unsafe("COMMIT");
      t.sql.release();
    }
    // a final run with no crash, then the earlier runs left half-way are completed by loading the latest
    const final = await runIngest({
      sql: p.src.sql,
      copyConnection: () => connect(p.src.url, { max: 1 }),
      bucket: p.ingestion,
      now: () => (clock += 60_000),
      entropy: () => "f1f1f1",
      maxDeleteShare: 1,
    });
    const latest = final.status === "committed" ? final.runId! : last;
    if (latest) {
      await runTransform({ ingestion: p.ingestion, processed: p.processed, runId: latest });
      await runLoad({ now: () => Date.now(), sql: p.wh.sql, processed: p.processed, runId: latest });
    }
    const r = await reconcile({ source: p.src.sql, warehouse: p.wh.sql });
    const diffs = r.tables.flatMap((t) => t.differences.map((d) => `${t.table}:${d.key}:${d.kind}`));
    assert.deepEqual(diffs, [], `seed ${SEED}: the warehouse differs from ToteSys`);
    const [so] = await p.src.sql`SELECT count(*)::int AS n FROM sales_order`;
    assert.equal(r.tables.find((t) => t.table === "fact_sales_order_current")!.warehouseRows, so!.n);
  }));
