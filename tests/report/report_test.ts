// The report on the hand-made warehouse (tests/fixtures/analyst_warehouse.ts): its figures (hand-computed, and
// equal to the analyst views), the quarantine read from a real bucket, the page's text, and the page in a real
// browser (headless Chromium): every chart has marks, and the page sends no request but its own file.
import assert from "node:assert/strict";
import { freshBucket, freshDatabase } from "../harness.ts";
import { createAnalystWarehouse } from "../fixtures/analyst_warehouse.ts";
import { readReportData } from "../../lib/report/data.ts";
import { fmtMoney, renderReport } from "../../lib/report/html.ts";
import { findChromium, inspectPage } from "./_chromium.ts";

Deno.test("report: figures, page and the page in headless Chromium", async (t) => {
  const db = await freshDatabase("report");
  const processed = await freshBucket("report");
  try {
    await createAnalystWarehouse(db.sql);
    const without = await readReportData(db.sql);

    await t.step("sales figures, computed by hand (current versions only; never across currencies)", () => {
      assert.deepEqual(without.salesByMonth, [
        { month: "2024-01-01", currency: "GBP", orders: 2, units: 13, revenue: "130.00" },
        { month: "2024-01-01", currency: "USD", orders: 1, units: 5, revenue: "15.00" },
        { month: "2024-02-01", currency: "USD", orders: 1, units: 3, revenue: "0.30" },
      ]);
      assert.deepEqual(without.salesByCurrency, [
        { currency: "GBP", orders: 2, units: 13, revenue: "130.00" },
        { currency: "USD", orders: 2, units: 8, revenue: "15.30" },
      ]);
      assert.deepEqual(without.topDesignsByUnits, [
        { designId: 1, designName: "Bronze", units: 17 },
        { designId: 2, designName: "Granite", units: 4 },
      ]);
      assert.deepEqual(without.topDesignsByRevenue, [
        {
          designId: 2,
          designName: "Granite",
          rank: 1,
          currency: "GBP",
          orders: 1,
          units: 1,
          revenue: "100.00",
        },
        {
          designId: 1,
          designName: "Bronze",
          rank: 2,
          currency: "GBP",
          orders: 1,
          units: 12,
          revenue: "30.00",
        },
        {
          designId: 1,
          designName: "Bronze",
          rank: 1,
          currency: "USD",
          orders: 1,
          units: 5,
          revenue: "15.00",
        },
        {
          designId: 2,
          designName: "Granite",
          rank: 2,
          currency: "USD",
          orders: 1,
          units: 3,
          revenue: "0.30",
        },
      ]);
      assert.deepEqual(without.salesByCountry, [
        { country: "France", currency: "USD", orders: 2, units: 8, revenue: "15.30" },
        { country: "United Kingdom", currency: "GBP", orders: 2, units: 13, revenue: "130.00" },
      ]);
      assert.deepEqual(without.salesByDepartment, [
        { department: "Export", currency: "USD", orders: 1, units: 3, revenue: "0.30" },
        { department: "Sales", currency: "GBP", orders: 2, units: 13, revenue: "130.00" },
        { department: "Sales", currency: "USD", orders: 1, units: 5, revenue: "15.00" },
      ]);
      assert.deepEqual(
        without.salesByStaff.map((r) => [r.staffId, r.name, r.department, r.currency, r.revenue]),
        [
          [1, "Ann Able", "Sales", "GBP", "130.00"],
          [2, "Bob Best", "Export", "USD", "0.30"],
          [3, "Cat Cole", "Sales", "USD", "15.00"],
        ],
      );
      assert.deepEqual(
        without.paymentsByMonth.map((r) => [r.month, r.currency, r.paymentType, r.paid, r.amount]),
        [
          ["2024-01-01", "GBP", "PURCHASE_PAYMENT", true, "50.00"],
          ["2024-01-01", "GBP", "SALES_RECEIPT", false, "100.00"],
          ["2024-01-01", "GBP", "SALES_RECEIPT", true, "30.00"],
          ["2024-02-01", "USD", "SALES_RECEIPT", false, "15.00"],
        ],
      );
    });

    await t.step("the report's one-pass SQL gives the analyst views' figures", async () => {
      const view = async (q: string) => (await db.sql.unsafe(q)).map((r) => ({ ...r }));
      assert.deepEqual(
        without.salesByMonth.map((r) => [r.month, r.currency, String(r.orders), String(r.units), r.revenue]),
        (await view("SELECT * FROM sales_by_month_currency ORDER BY month, currency_code"))
          .map((r) => [r.month, r.currency_code, r.orders, r.units_sold, r.revenue]),
      );
      assert.deepEqual(
        without.salesByDepartment.map((r) => [r.department, r.currency, String(r.orders), r.revenue]),
        (await view("SELECT * FROM sales_by_department ORDER BY department_name, currency_code"))
          .map((r) => [r.department_name, r.currency_code, r.orders, r.revenue]),
      );
      assert.deepEqual(
        without.salesByStaff.map((r) => [r.staffId, r.currency, String(r.units), r.revenue]),
        (await view("SELECT * FROM sales_by_staff ORDER BY staff_id, currency_code"))
          .map((r) => [r.staff_id, r.currency_code, r.units_sold, r.revenue]),
      );
    });

    await t.step("pipeline health: runs newest first, freshness, no reconcile recorded, no bucket", () => {
      assert.deepEqual(
        without.runs.map((r) => [r.runId, r.outcome, r.seconds, r.staged, r.merged, r.error]),
        [
          ["r2", "loaded", 1, 5, 5, null],
          ["r2", "failed", 0.25, 0, 0, "fact_payment: boom"],
          ["r1", "loaded", 2.5, 7, 7, null],
        ],
      );
      assert.equal(without.freshness.length, 10);
      assert.deepEqual(without.freshness.find((f) => f.table === "fact_sales_order"), {
        table: "fact_sales_order",
        rows: 6,
        newest: "2024-03-04 05:06:07.654321",
        ageHours: without.freshness.find((f) => f.table === "fact_sales_order")!.ageHours,
      });
      assert.ok(without.freshness.find((f) => f.table === "fact_sales_order")!.ageHours! > 24 * 365);
      assert.deepEqual(without.reconcile, { status: "not_recorded" });
      assert.equal(without.quarantine.status, "unavailable");
    });

    await t.step("quarantine from the transform manifests; a reconcile log when one exists", async () => {
      const runId = "20240304T061000000Z-abcdef";
      const key = `_quarantine/sales_order/2024/03/04/${runId}.jsonl`;
      await processed.put(key, '{"sales_order_id": 9}\n{"sales_order_id": 10}\n', "application/x-ndjson");
      await processed.put(
        `_manifests/transform/${runId}.json`,
        JSON.stringify({
          kind: "transform",
          version: 1,
          run_id: runId,
          tables: {},
          quarantine: { sales_order: { key, rows: 2, bytes: 44, sha256: "x" } },
        }),
      );
      await db.sql`INSERT INTO reconcile_log (started_at, finished_at, outcome, differences)
        VALUES ('2024-03-01', '2024-03-01', 'different', 3), ('2024-03-05', '2024-03-05', 'equal', 0)`;
      const data = await readReportData(db.sql, { processed });
      assert.deepEqual(data.quarantine, {
        status: "read",
        rows: [{ runId, sourceTable: "sales_order", rows: 2, key }],
      });
      assert.deepEqual(data.reconcile, {
        status: "recorded",
        row: { finished_at: "2024-03-05 00:00:00+00", outcome: "equal", differences: "0", error: null },
      });
      const html = await renderReport(data);
      assert.match(html, /2 row\(s\) quarantined in 1 run\(s\)/);
      assert.match(html, /<td>differences<\/td><td>0<\/td>/);
      await db.sql`DELETE FROM reconcile_log`;
    });

    const html = await renderReport(without);
    await t.step("the page: self-contained, no script, no URL, the currency warning, exact money", () => {
      assert.doesNotMatch(html, /https?:\/\//);
      assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
      assert.match(html, /amounts in different currencies are never added together/);
      assert.match(
        html,
        /None yet: <code>deno task etl reconcile<\/code> compares ToteSys with the warehouse and keeps each result in the warehouse.s <code>reconcile_log<\/code>/,
      );
      assert.match(html, /PROCESSED_BUCKET is not configured/);
      assert.equal((html.match(/<svg /g) ?? []).length, 8);
      assert.match(html, /<td class="n">130\.00&nbsp;GBP<\/td>/);
      assert.match(html, /<td>SALES_RECEIPT<\/td><td class="n">1<\/td><td class="n">100\.00&nbsp;GBP<\/td>/);
      assert.equal(fmtMoney("1234567.5"), "1,234,567.50");
      assert.equal(fmtMoney("-0.3"), "-0.30");
    });

    await t.step(
      "in headless Chromium: every chart has marks, and no request but the page itself",
      async () => {
        const chromium = findChromium();
        if (!chromium) {
          console.log(
            "SKIPPED: no chromium on PATH (apt-get install -y chromium); the browser check did not run",
          );
          return;
        }
        const file = await Deno.makeTempFile({ prefix: "report-", suffix: ".html" });
        try {
          await Deno.writeTextFile(file, html);
          const page = await inspectPage(chromium, file);
          assert.equal(page.title, "Terrific Totes: sales and pipeline report");
          assert.deepEqual(page.requests, [`file://${file}`]);
          assert.equal(page.charts.length, 8);
          for (const c of page.charts) {
            assert.ok(c.marks > 0, `chart "${c.label}" has no marks`);
            assert.ok(c.width > 100 && c.height > 50, `chart "${c.label}" is ${c.width}x${c.height}`);
          }
          // monthly revenue: GBP a line and 1 point (January), USD a line and 2 points (January, February)
          const revenue = page.charts.find((c) => c.label.startsWith("Revenue per month"))!;
          assert.equal(revenue.marks, 5);
          // top designs by units: 2 bars
          assert.equal(page.charts.find((c) => c.label.startsWith("By units sold"))!.marks, 2);
        } finally {
          await Deno.remove(file);
        }
      },
    );
  } finally {
    await db.drop();
    processed.client.destroy();
  }
});

Deno.test("the request check sees a request when a page makes one", async () => {
  const chromium = findChromium();
  if (!chromium) {
    console.log("SKIPPED: no chromium on PATH (apt-get install -y chromium); the browser check did not run");
    return;
  }
  // the detector itself: a page that does fetch an image must show the request
  const file = await Deno.makeTempFile({ prefix: "report-", suffix: ".html" });
  try {
    await Deno.writeTextFile(file, `<!DOCTYPE html><title>x</title><img src="http://127.0.0.1:9/x.png">`);
    const page = await inspectPage(chromium, file);
    assert.deepEqual(page.requests, [`file://${file}`, "http://127.0.0.1:9/x.png"]);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("etl report: writes the page where --out says and prints its path; a warehouse without migration 4 is named", async () => {
  const db = await freshDatabase("reportcli");
  const dir = await Deno.makeTempDir({ prefix: "report-cli-" });
  const run = async (args: string[]) => {
    const env: Record<string, string> = { WAREHOUSE_DATABASE_URL: db.url, AWS_EC2_METADATA_DISABLED: "true" };
    for (const k of ["PATH", "HOME", "DENO_DIR"]) if (Deno.env.get(k)) env[k] = Deno.env.get(k)!;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main/etl.ts", "report", ...args],
      cwd: new URL("../../", import.meta.url).pathname,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  };
  try {
    const empty = await run(["--out", `${dir}/a.html`]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /lacks the report's views \(migration 4\): run "deno task migrate" first/);

    await createAnalystWarehouse(db.sql);
    const ok = await run(["--out", `${dir}/sub/report.html`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), `${dir}/sub/report.html`);
    assert.match(ok.stderr, /^Report: \d+ KiB in /m);
    const html = await Deno.readTextFile(`${dir}/sub/report.html`);
    assert.match(html, /<td class="n">130\.00&nbsp;GBP<\/td>/);
    assert.match(html, /PROCESSED_BUCKET is not configured/);
  } finally {
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});
