/**
 * `reconcile --repair` and `rebuild` (issue 11): a repair run fixes every kind of difference and goes through the
 * lake like any run; a rebuild from the ingestion zone alone equals the incremental warehouse, every fact version
 * and every dimension value, also after being killed with SIGKILL and started again.
 */
import assert from "node:assert/strict";
import { cycle, etl, ingest, load, type Pipeline, transform, withPipeline } from "../adversarial/_helpers.ts";
import { freshDatabase } from "../harness.ts";
import { reconcile } from "../../lib/reconcile/mod.ts";
import { repairKeys } from "../../lib/reconcile/repair.ts";
import { runRepair } from "../../lib/ingest/repair.ts";
import { runRebuild } from "../../lib/rebuild/mod.ts";
import type { IngestManifest } from "../../lib/run/mod.ts";
import type { Sql } from "../../lib/io/pg.ts";
import { WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";

/** Every warehouse table (and fact_deletion) in full: count and md5 of all rows, every column. */
async function everything(sql: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of [...WAREHOUSE_TABLE_NAMES, "fact_deletion"]) {
    const [r] = await sql.unsafe(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM ${t} t`,
    );
    out[t] = `${r!.n}:${r!.h}`;
  }
  return out;
}

const keysOf = (r: Awaited<ReturnType<typeof reconcile>>) =>
  r.tables.flatMap((t) => t.differences.map((d) => `${t.table}:${d.key}:${d.kind}`));

Deno.test("reconcile --repair: a repair run fixes silent edits, deletes, hand edits, extra and missing rows", () =>
  withPipeline("rep1", async (p) => {
    await cycle(p);
    await p.src.sql`UPDATE design SET file_location = '/x' WHERE design_id = 1`;
    await p.src.sql`UPDATE department SET location = 'Leeds' WHERE department_id = 1`;
    await p.src.sql`DELETE FROM payment WHERE payment_id = 2`;
    await p.wh.sql`UPDATE dim_location SET city = 'Nowhere' WHERE location_id = 1`;
    await p.wh.sql`INSERT INTO dim_currency VALUES (9, 'EUR', 'Euro', '2022-01-01', '0')`;
    await p.wh.sql`DELETE FROM fact_purchase_order WHERE purchase_order_id = 1`;
    const before = await reconcile({ source: p.src.sql, warehouse: p.wh.sql });
    assert.equal(before.differences, 6, keysOf(before).join());
    const keys = await repairKeys(before, p.src.sql);
    // the mass-delete guard holds for repairs too: currency 9 of 2 live currencies is more than 10 %
    await assert.rejects(
      runRepair({ sql: p.src.sql, bucket: p.ingestion, keys, now: () => 0, entropy: () => "abcdef" }),
      /1 of 2 currency rows \(50\.0 %\) were deleted/,
    );
    const runId = await runRepair({
      sql: p.src.sql,
      bucket: p.ingestion,
      keys,
      now: () => Date.UTC(2026, 11, 2, 20, 0, 0),
      entropy: () => "abcdef",
      maxDeleteShare: 1,
    });
    assert.ok(runId);
    const m = (await p.ingestion.getJson<IngestManifest>(`_manifests/ingest/${runId}.json`))!;
    assert.equal(m.purpose, "repair");
    assert.deepEqual(m.tables.payment.deleted, [[2, 2]]);
    assert.deepEqual(m.tables.currency.deleted, [[9, 9]]);
    assert.equal(m.tables.department.object?.rows, 1, "the staff row's department is re-read too");
    await transform(p, runId!);
    await load(p, runId!);
    const after = await reconcile({ source: p.src.sql, warehouse: p.wh.sql });
    assert.deepEqual(keysOf(after), []);
    // the capture goes on from where it was: the next run reads the edits again and they add nothing
    const fixed = await everything(p.wh.sql);
    const next = await ingest(p);
    assert.equal(next.status, "committed");
    await transform(p, next.runId!);
    await load(p, next.runId!);
    assert.deepEqual(await everything(p.wh.sql), fixed);
  }));

/** A history with updates, silent edits, deletes, a quarantined row and a fact that waited for it. */
async function history(p: Pipeline): Promise<void> {
  await cycle(p, "quarantine");
  for (let i = 0; i < 4; i++) {
    await p.src.sql.unsafe(`UPDATE sales_order SET units_sold = ${10 + i} WHERE sales_order_id = 1`);
    await p.src.sql.unsafe(`UPDATE payment SET paid = NOT paid, last_updated = now() WHERE payment_id = 1`);
    await cycle(p, "quarantine");
  }
  await p.src.sql`INSERT INTO currency VALUES (3, 'ZZZ', '2022-11-03', '2022-11-03')`; // not ISO 4217: quarantined
  await p.src.sql.unsafe(`INSERT INTO sales_order SELECT 2, created_at, last_updated, design_id, staff_id,
    counterparty_id, 5, 5.55, 3, agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id
    FROM sales_order WHERE sales_order_id = 1`); // waits for currency 3
  await cycle(p, "quarantine");
  await p.src.sql`UPDATE design SET design_name = 'Oak' WHERE design_id = 1`;
  await cycle(p, "quarantine");
  await p.src.sql`UPDATE currency SET currency_code = 'EUR' WHERE currency_id = 3`; // fixed: the fact loads
  await cycle(p, "quarantine");
  await p.src.sql`DELETE FROM payment WHERE payment_id = 2`;
  await p.src.sql`UPDATE sales_order SET units_sold = units_sold WHERE sales_order_id = 2`; // no-op
  await cycle(p, "quarantine");
  for (let i = 0; i < 4; i++) {
    await p.src.sql.unsafe(`UPDATE address SET city = 'C${i}' WHERE address_id = 2`);
    await cycle(p, "quarantine");
  }
}

Deno.test("rebuild from the lake equals the incremental warehouse; killed with SIGKILL and rerun, the same", () =>
  withPipeline("reb1", async (p) => {
    await history(p);
    const [waited] = await p.wh
      .sql`SELECT currency_id FROM fact_sales_order_current WHERE sales_order_id = 2`;
    assert.equal(waited!.currency_id, 3, "the waiting fact loaded");
    assert.deepEqual(keysOf(await reconcile({ source: p.src.sql, warehouse: p.wh.sql })), []);
    const want = await everything(p.wh.sql);

    const wh2 = await freshDatabase("reb2");
    try {
      const done: string[] = [];
      const r = await runRebuild({
        now: () => Date.now(),
        ingestion: p.ingestion,
        processed: p.processed.under("rebuild/"),
        warehouse: wh2.sql,
        badRows: "quarantine",
        onRun: (_i, _n, id) => done.push(id),
      });
      assert.equal(r.runs, done.length);
      assert.equal(r.runs, 13);
      assert.deepEqual(await everything(wh2.sql), want);
      // a second rebuild into the same warehouse is a no-op; into a non-empty other warehouse it is refused
      assert.equal(
        (await runRebuild({
          now: () => Date.now(),
          ingestion: p.ingestion,
          processed: p.processed.under("rebuild/"),
          warehouse: wh2.sql,
          badRows: "quarantine",
        })).loaded,
        0,
      );
      await assert.rejects(
        runRebuild({
          now: () => Date.now(),
          ingestion: p.ingestion,
          processed: p.processed.under("other/"),
          warehouse: wh2.sql,
        }),
        /The warehouse is not empty: it holds 13 load\(s\) that no rebuild into s3:\/\/.*\/other\/ made\. Point WAREHOUSE_DATABASE_URL at an empty database/,
      );
      // the live, incrementally built warehouse is refused too, whatever prefix already holds transforms
      await assert.rejects(
        runRebuild({
          now: () => Date.now(),
          ingestion: p.ingestion,
          processed: p.processed.under("rebuild/"),
          warehouse: p.wh.sql,
        }),
        /The warehouse is not empty: it holds \d+ load\(s\) that no rebuild into .*rebuild\/ made/,
      );
      // and so is a database that is not a warehouse
      const other = await freshDatabase("reb4");
      try {
        await other.sql`CREATE TABLE foo (x int)`;
        await assert.rejects(
          runRebuild({
            now: () => Date.now(),
            ingestion: p.ingestion,
            processed: p.processed.under("rebuild/"),
            warehouse: other.sql,
          }),
          /The warehouse database is not empty \(it has foo\) and is not a warehouse/,
        );
      } finally {
        await other.drop();
      }
    } finally {
      await wh2.drop();
    }

    // the CLI, killed with SIGKILL part-way, then run again
    const wh3 = await freshDatabase("reb3");
    try {
      const env = { WAREHOUSE_DATABASE_URL: wh3.url, TRANSFORM_BAD_ROWS: "quarantine" };
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "main/etl.ts", "rebuild", "--into", "killed/"],
        cwd: new URL("../../", import.meta.url).pathname,
        env: { ...(await import("../adversarial/_helpers.ts")).etlEnv(p, env) },
        stdout: "null",
        stderr: "piped",
      }).spawn();
      // kill once a few runs are through
      const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let seen = "";
      while (!/\[rebuild\] 4\/13/.test(seen)) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += value;
      }
      child.kill("SIGKILL");
      await child.status;
      reader.releaseLock();
      await child.stderr.cancel().catch(() => {});
      const [partial] = await wh3.sql`SELECT count(*)::int AS n FROM etl_load_log WHERE outcome = 'loaded'`;
      assert.ok(partial!.n >= 4 && partial!.n < 13, `killed part-way: ${partial!.n} runs loaded`);
      const again = await etl(p, ["rebuild", "--into", "killed/"], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /Rebuilt the warehouse from 13 run\(s\)/);
      assert.deepEqual(await everything(wh3.sql), want);
    } finally {
      await wh3.drop();
    }
  }));
