import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openPipeline } from "../fixtures/pipeline.ts";
import { loadDump, simulateActivity } from "../../tools/totesys/mod.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { reconcile } from "../../lib/reconcile/mod.ts";
import {
  assertForeignKeysResolve,
  assertLatestFactsMatchSource,
  sourceCount,
  warehouseCounts,
} from "./checks.ts";

setLogSink(() => {});

const DUMP = fileURLToPath(
  new URL("../../../shared/data/totesys/xrscode_2024-02-23/derived/totesys_realschema.sql", import.meta.url),
);
const haveDump = existsSync(DUMP);
if (!haveDump) {
  console.warn(
    `Skipping the real-dump end-to-end test: no real ToteSys dump at ${DUMP} (optional; not part of this repository)`,
  );
}

Deno.test({
  name: "real ToteSys dump: full run, no-change run, then 100 simulated changes processed exactly once",
  ignore: !haveDump,
  fn: async () => {
    const p = await openPipeline("e2e");
    try {
      await loadDump(p.src.sql, DUMP);
      const first = await p.cycle();
      assert.equal(first.ingest.status, "committed");
      assert.equal(first.load?.status, "loaded");
      const counts = await warehouseCounts(p.wh.sql);
      for (const [t, n] of Object.entries(counts)) assert.ok(n > 0, `${t} has rows`);
      assert.equal(counts.fact_sales_order, 6941);
      assert.equal(counts.fact_sales_order, await sourceCount(p.src.sql, "sales_order"));
      assert.equal(counts.fact_purchase_order, await sourceCount(p.src.sql, "purchase_order"));
      assert.equal(counts.fact_payment, await sourceCount(p.src.sql, "payment"));
      assert.equal(counts.dim_transaction, 9899);
      assert.equal(counts.dim_staff, 20);
      await assertForeignKeysResolve(p.wh.sql);
      await assertLatestFactsMatchSource(p.src.sql, p.wh.sql);
      const [money] = await p.wh.sql`SELECT sum(unit_price)::text AS s FROM fact_sales_order`;
      const [srcMoney] = await p.src.sql`SELECT sum(unit_price)::text AS s FROM sales_order`;
      assert.equal(money!.s, srcMoney!.s);

      const again = await p.cycle();
      assert.equal(again.ingest.status, "no_changes");
      assert.deepEqual(await warehouseCounts(p.wh.sql), counts);

      const before = await p.src.sql`SELECT max(sales_order_id)::int AS m FROM sales_order`;
      const summary = await simulateActivity(p.src.sql, { changes: 100, seed: 7 });
      assert.equal(summary.total, 100);
      const third = await p.cycle();
      assert.equal(third.ingest.status, "committed");
      const changedRows = Object.values(third.ingest.tables).reduce((a, t) => a + (t?.rows ?? 0), 0);
      assert.equal(changedRows, summary.total, "ingest captured exactly the simulated changes");
      const so = summary.tables.sales_order;
      const after = await warehouseCounts(p.wh.sql);
      assert.equal(after.fact_sales_order, counts.fact_sales_order + so.inserted + so.updated);
      // each updated sales order has exactly one more fact row
      const updated = await p.src.sql<{ id: number }[]>`SELECT sales_order_id AS id FROM sales_order
        WHERE last_updated > ${summary.since}::timestamp AND sales_order_id <= ${before[0]!.m}`;
      assert.equal(updated.length, so.updated);
      for (const { id } of updated) {
        const [r] = await p.wh
          .sql`SELECT count(*)::int AS n FROM fact_sales_order WHERE sales_order_id = ${id}`;
        assert.equal(r!.n, 2, `sales order ${id} has two versions`);
      }
      await assertForeignKeysResolve(p.wh.sql);
      await assertLatestFactsMatchSource(p.src.sql, p.wh.sql);
      // changed dimension rows show their new values
      const loc = await p.src
        .sql`SELECT string_agg(concat_ws('|', address_id, address_line_1, address_line_2, district,
        city, postal_code, country, phone), E'\\n' ORDER BY address_id) AS s FROM address`;
      const dloc = await p.wh
        .sql`SELECT string_agg(concat_ws('|', location_id, address_line_1, address_line_2, district,
        city, postal_code, country, phone), E'\\n' ORDER BY location_id) AS s FROM dim_location`;
      assert.equal(dloc[0]!.s, loc[0]!.s);
      const staff = await p.src
        .sql`SELECT string_agg(concat_ws('|', s.staff_id, s.first_name, d.department_name, d.location),
        E'\\n' ORDER BY s.staff_id) AS s FROM staff s JOIN department d USING (department_id)`;
      const dstaff = await p.wh
        .sql`SELECT string_agg(concat_ws('|', staff_id, first_name, department_name, location),
        E'\\n' ORDER BY staff_id) AS s FROM dim_staff`;
      assert.equal(dstaff[0]!.s, staff[0]!.s);
      const cp = await p.src
        .sql`SELECT string_agg(concat_ws('|', c.counterparty_id, c.counterparty_legal_name, a.city),
        E'\\n' ORDER BY c.counterparty_id) AS s FROM counterparty c JOIN address a ON a.address_id = c.legal_address_id`;
      const dcp = await p.wh.sql`SELECT string_agg(concat_ws('|', counterparty_id, counterparty_legal_name,
        counterparty_legal_city), E'\\n' ORDER BY counterparty_id) AS s FROM dim_counterparty`;
      assert.equal(dcp[0]!.s, cp[0]!.s);

      // Edits the way real ToteSys makes them (issue 10): agreed dates, staff and design file locations changed
      // without touching last_updated, and some payments deleted. The next run carries every one of them.
      await p.src.sql.unsafe(`
        UPDATE sales_order SET agreed_delivery_date = (agreed_delivery_date::date + 3)::text
          WHERE sales_order_id IN (SELECT sales_order_id FROM sales_order ORDER BY sales_order_id LIMIT 40);
        UPDATE sales_order SET staff_id = (SELECT min(staff_id) FROM staff)
          WHERE sales_order_id IN (SELECT sales_order_id FROM sales_order ORDER BY sales_order_id DESC LIMIT 20);
        UPDATE purchase_order SET agreed_payment_date = (agreed_payment_date::date + 1)::text
          WHERE purchase_order_id IN (SELECT purchase_order_id FROM purchase_order ORDER BY purchase_order_id LIMIT 20);
        UPDATE design SET file_location = '/private/' || file_location
          WHERE design_id IN (SELECT design_id FROM design ORDER BY design_id LIMIT 20);
        DELETE FROM payment WHERE payment_id IN (SELECT payment_id FROM payment ORDER BY payment_id DESC LIMIT 5);
      `);
      const fourth = await p.cycle();
      assert.equal(fourth.ingest.status, "committed");
      assert.deepEqual(
        [fourth.ingest.tables.sales_order?.rows, fourth.ingest.tables.design?.rows],
        [60, 20],
      );
      assert.equal(fourth.ingest.tables.payment?.deleted, 5);
      const proof = await reconcile({ source: p.src.sql, warehouse: p.wh.sql });
      assert.deepEqual(
        proof.tables.flatMap((t) => t.differences.map((d) => `${t.table}:${d.key}:${d.kind}`)),
        [],
        "the _current views and the dimensions equal ToteSys exactly",
      );
      const [live] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_payment_current`;
      assert.equal(live!.n, await sourceCount(p.src.sql, "payment"));
    } finally {
      await p.close();
    }
  },
});
