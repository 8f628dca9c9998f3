import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { migrate } from "../../lib/load/migrations.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { foreignKeys, WAREHOUSE_TABLES } from "../../lib/contract/mod.ts";
import { structures, withEnv } from "./_load_env.ts";

setLogSink(() => {});

Deno.test("the same run loaded twice gives an identical warehouse; the second load reports it", () =>
  withEnv(async ({ wh, processed, prepare, snapshot }) => {
    const runId = await prepare();
    const first = await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId });
    assert.equal(first.status, "loaded");
    assert.deepEqual(first.tables.fact_payment, { staged: 2, merged: 2 });
    assert.deepEqual(first.tables.dim_date, { staged: 365, merged: 365 });
    const before = await snapshot();
    const second = await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId });
    assert.equal(second.status, "already_loaded");
    assert.equal(await snapshot(), before);
    const log = await wh.sql`SELECT run_id, outcome, row_counts FROM etl_load_log`;
    assert.equal(log.length, 1);
    assert.equal(log[0]!.outcome, "loaded");
    assert.deepEqual(log[0]!.row_counts.fact_sales_order, { staged: 1, merged: 1 });
    const [so] = await wh
      .sql`SELECT sales_record_id, unit_price::text, created_time::text, agreed_delivery_date::text FROM fact_sales_order`;
    assert.deepEqual({ ...so }, {
      sales_record_id: 1,
      unit_price: "3.94",
      created_time: "14:20:52.186",
      agreed_delivery_date: "2022-11-07",
    });
  }));

Deno.test("two runs loaded in reverse order: dimensions keep the newer values, facts hold both versions", () =>
  withEnv(async ({ src, wh, processed, prepare }) => {
    const r1 = await prepare();
    await src
      .sql`UPDATE department SET department_name = 'Sales & Marketing', last_updated = '2023-05-05 12:00:00' WHERE department_id = 1`;
    await src
      .sql`UPDATE sales_order SET units_sold = 7, last_updated = '2023-05-05 12:00:00.123456' WHERE sales_order_id = 1`;
    const r2 = await prepare();
    // r2's event arrives first: loading it loads r1 first, so its facts find r1's dimension rows
    const second = await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r2 });
    assert.deepEqual([second.status, second.caughtUp], ["loaded", [r1]]);
    const first = await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r1 });
    assert.equal(first.status, "already_loaded");
    const staff = await wh.sql`SELECT department_name FROM dim_staff WHERE staff_id = 1`;
    assert.equal(staff[0]!.department_name, "Sales & Marketing");
    const facts = await wh
      .sql`SELECT units_sold FROM fact_sales_order WHERE sales_order_id = 1 ORDER BY sales_record_id`;
    assert.deepEqual(facts.map((f) => f.units_sold), [42972, 7]);
    const log = await wh.sql`SELECT run_id, outcome FROM etl_load_log ORDER BY load_id`;
    assert.deepEqual(log.map((l) => [l.run_id, l.outcome]), [[r1, "loaded"], [r2, "loaded"]]);
  }));

Deno.test("a dimension is never regressed by an older run loaded after a newer one", () =>
  withEnv(async ({ src, wh, processed, prepare }) => {
    const r1 = await prepare();
    await src
      .sql`UPDATE address SET city = 'Leeds', last_updated = '2023-05-05 12:00:01' WHERE address_id = 2`;
    await src
      .sql`UPDATE sales_order SET units_sold = 8, last_updated = '2023-05-05 12:00:02' WHERE sales_order_id = 1`;
    const r2 = await prepare();
    // load r1 then r2, then replay r1's files into a second warehouse in reverse order
    const wh2 = await freshDatabase("ldw2");
    try {
      await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r1 });
      await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r2 });
      // reverse: make r2 loadable first by loading r1's dims through r1 is impossible, so load r1 after r2 where
      // r2 carries everything it needs: copy r1 into wh2 first, then r2, then clear the log for r1 and reload it.
      await runLoad({ now: () => Date.now(), sql: wh2.sql, processed, runId: r1 });
      await runLoad({ now: () => Date.now(), sql: wh2.sql, processed, runId: r2 });
      await wh2.sql`DELETE FROM etl_load_log WHERE run_id = ${r1}`;
      await runLoad({ now: () => Date.now(), sql: wh2.sql, processed, runId: r1 }); // the older run arrives again, late
      for (const sql of [wh.sql, wh2.sql]) {
        const [loc] = await sql`SELECT city FROM dim_location WHERE location_id = 2`;
        const [cp] =
          await sql`SELECT counterparty_legal_city FROM dim_counterparty WHERE counterparty_id = 1`;
        assert.equal(loc!.city, "Leeds");
        assert.equal(cp!.counterparty_legal_city, "Leeds");
        const n = await sql`SELECT count(*)::int AS n FROM fact_sales_order`;
        assert.equal(n[0]!.n, 2);
      }
    } finally {
      await wh2.drop();
    }
  }));

for (const bulkRows of [undefined, 1]) {
  const path = bulkRows ? " (empty tables: indexes dropped first, all back after)" : "";
  Deno.test(`a failure in the middle of a load leaves nothing of the run visible; the re-run completes it${path}`, () =>
    withEnv(async ({ wh, processed, prepare, snapshot }) => {
      const runId = await prepare();
      await migrate(wh.sql);
      const empty = await snapshot();
      const before = await structures(wh.sql);
      await assert.rejects(
        runLoad({
          now: () => Date.now(),
          sql: wh.sql,
          processed,
          runId,
          ...(bulkRows ? { bulkRows } : {}),
          afterTable: (t) => {
            if (t === "fact_sales_order") throw new Error("simulated crash");
          },
        }),
        /Load of run .* failed at fact_sales_order: simulated crash/,
      );
      assert.equal(await snapshot(), empty);
      assert.deepEqual(await structures(wh.sql), before, "every index, key and foreign key as before");
      const r = await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId });
      assert.equal(r.status, "loaded");
      const [n] = await wh.sql`SELECT count(*)::int AS n FROM fact_payment`;
      assert.equal(n!.n, 2);
    }));
}

Deno.test("a load process killed mid-run leaves nothing visible, and the re-run completes it", () =>
  withEnv(async ({ wh, processed, prepare, snapshot }) => {
    const runId = await prepare();
    await migrate(wh.sql);
    const empty = await snapshot();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./_killable_load.ts", import.meta.url).pathname,
        wh.url,
        processed.name,
        runId,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    assert.match(new TextDecoder().decode(value), /READY/);
    // dim_date .. dim_staff are merged inside the child's open transaction: readers must not see them
    assert.equal(await snapshot(), empty);
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    for (let i = 0; i < 50; i++) {
      const [a] = await wh
        .sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`;
      if (a!.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await snapshot(), empty);
    const r = await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId });
    assert.equal(r.status, "loaded");
    const [n] = await wh.sql`SELECT count(*)::int AS n FROM fact_payment`;
    assert.equal(n!.n, 2);
  }));

Deno.test("a fact whose dimension row is not in the warehouse fails the load naming table, key and value", () =>
  withEnv(async ({ src, wh, processed, prepare, snapshot }) => {
    const r1 = await prepare();
    await src
      .sql`UPDATE sales_order SET units_sold = 7, last_updated = '2023-05-05 12:00:00' WHERE sales_order_id = 1`;
    const r2 = await prepare();
    // The load log claims r1 is loaded, but the warehouse lacks its rows (restored from an old backup, say):
    // r2's fact references staff 1, which only r1 carries.
    await migrate(wh.sql);
    await wh
      .sql`INSERT INTO etl_load_log (run_id, started_at, finished_at, outcome) VALUES (${r1}, now(), now(), 'loaded')`;
    const before = await snapshot();
    await assert.rejects(
      runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r2 }),
      /Load of run .* failed at fact_sales_order: .*foreign key.*\(Key \(created_date\)=\(2022-11-03\) is not present in table "dim_date"\.\)/,
    );
    assert.equal(await snapshot(), before);
    const [row] = await wh.sql`SELECT outcome, error FROM etl_load_log WHERE run_id = ${r2}`;
    assert.equal(row!.outcome, "failed");
    assert.match(row!.error, /created_date\)=\(2022-11-03\)/);
  }));

Deno.test("bulk merges (foreign keys re-validated in one pass) give the same warehouse and the same errors", () =>
  withEnv(async ({ src, wh, processed, prepare, snapshot }) => {
    const r1 = await prepare();
    await runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r1, bulkRows: 1 });
    const bulk = await snapshot();
    const wh2 = await freshDatabase("ldw3");
    try {
      await runLoad({ now: () => Date.now(), sql: wh2.sql, processed, runId: r1 });
      assert.equal(await snapshot(wh2.sql), bulk);
      const fks = await wh.sql`SELECT count(*)::int AS n FROM pg_constraint
        WHERE contype = 'f' AND conrelid::regclass::text LIKE 'fact_%' AND convalidated`;
      const factKeys = foreignKeys().filter((k) => WAREHOUSE_TABLES[k.table].kind === "fact").length;
      assert.ok(factKeys >= 24);
      assert.equal(fks[0]!.n, factKeys, "every fact foreign key is back, validated");
    } finally {
      await wh2.drop();
    }
    // a violation found by the one-pass validation names table, key and value too, and rolls back
    await src
      .sql`UPDATE sales_order SET units_sold = 7, last_updated = '2023-05-05 12:00:00' WHERE sales_order_id = 1`;
    const r2 = await prepare();
    await wh.sql`DELETE FROM etl_load_log`;
    await wh
      .sql`INSERT INTO etl_load_log (run_id, started_at, finished_at, outcome) VALUES (${r1}, now(), now(), 'loaded')`;
    await wh.sql.unsafe(`TRUNCATE dim_date CASCADE`);
    const before = await snapshot();
    await assert.rejects(
      runLoad({ now: () => Date.now(), sql: wh.sql, processed, runId: r2, bulkRows: 1 }),
      /Load of run .* failed at fact_sales_order: .*foreign key.*\(Key \(\w+\)=\(2022-11-0\d\) is not present in table "dim_date"\.\)/,
    );
    assert.equal(await snapshot(), before);
  }));
