/**
 * Schema drift in ToteSys (issue 3): an added column is captured and recorded, whatever its name; a dropped or
 * retyped column stops the run naming table and column; a widened type that keeps its name keeps loading.
 */
import assert from "node:assert/strict";
import { cycle, ingest, load, transform, withPipeline } from "./_helpers.ts";
import type { IngestManifest } from "../../lib/run/mod.ts";

Deno.test('an added Prisma-style camelCase column ("isDeleted") is captured and recorded', () =>
  withPipeline("sd1", async (p) => {
    await cycle(p);
    // Prisma (which manages ToteSys) names fields in camelCase and quotes them in its migrations.
    await p.src.sql.unsafe(`ALTER TABLE design ADD COLUMN "isDeleted" boolean NOT NULL DEFAULT false`);
    await p.src.sql`UPDATE design SET design_name = 'Oak', last_updated = '2023-03-03' WHERE design_id = 1`;
    const r = await ingest(p);
    assert.equal(r.status, "committed");
    const m = (await p.ingestion.getJson<IngestManifest>(r.manifestKey!))!;
    assert.deepEqual(m.tables.design.added_columns, ["isDeleted"]);
    const line = new TextDecoder().decode(await p.ingestion.get(m.tables.design.object!.key)).trim();
    assert.equal(JSON.parse(line).isDeleted, false);
    await transform(p, r.runId!);
    await load(p, r.runId!);
    const [d] = await p.wh.sql`SELECT design_name FROM dim_design WHERE design_id = 1`;
    assert.equal(d!.design_name, "Oak");
  }));

Deno.test("an added column with a space or a dash in its name is captured", () =>
  withPipeline("sd2", async (p) => {
    await cycle(p);
    await p.src.sql.unsafe(`ALTER TABLE currency ADD COLUMN "display name" text DEFAULT 'x'`);
    await p.src.sql`UPDATE currency SET last_updated = '2023-03-03' WHERE currency_id = 1`;
    const r = await ingest(p);
    assert.equal(r.status, "committed");
  }));

Deno.test("an added column flows through transform and load untouched by the warehouse", () =>
  withPipeline("sd3", async (p) => {
    await cycle(p);
    await p.src.sql.unsafe(
      `ALTER TABLE sales_order ADD COLUMN discount numeric(4,2), ADD COLUMN notes jsonb`,
    );
    await p.src.sql`UPDATE sales_order SET discount = 0.5, notes = '{"a": "\\t"}', units_sold = 9,
      last_updated = '2023-03-03' WHERE sales_order_id = 1`;
    assert.ok(await cycle(p));
    const rows = await p.wh.sql`SELECT units_sold FROM fact_sales_order ORDER BY last_updated_date`;
    assert.deepEqual(rows.map((r) => r.units_sold), [42972, 9]);
  }));

Deno.test("a contract column retyped (units_sold integer -> bigint) stops the run naming table and column", () =>
  withPipeline("sd4", async (p) => {
    await cycle(p);
    await p.src.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN units_sold TYPE bigint`);
    await assert.rejects(ingest(p), /sales_order\.units_sold/);
  }));

Deno.test("a widened money column (numeric(10,2) -> numeric(12,4), same data_type) keeps loading exactly", () =>
  withPipeline("sd5", async (p) => {
    await cycle(p);
    await p.src.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN unit_price TYPE numeric(12,4)`);
    await p.src
      .sql`UPDATE sales_order SET unit_price = 4.25, last_updated = '2023-03-03' WHERE sales_order_id = 1`;
    await cycle(p); // unit_price now reads "4.2500": the same exact amount
    const rows = await p.wh
      .sql`SELECT unit_price::text AS v FROM fact_sales_order ORDER BY last_updated_date`;
    assert.deepEqual(rows.map((r) => r.v), ["3.94", "4.25"]);
  }));

Deno.test("a non-contract column that comes and goes never blocks the pipeline (C9)", () =>
  withPipeline("sd6", async (p) => {
    await p.src.sql.unsafe(`ALTER TABLE address ADD COLUMN fax text`);
    await cycle(p);
    await p.src.sql.unsafe(`ALTER TABLE address DROP COLUMN fax`);
    await p.src.sql`UPDATE sales_order SET units_sold = 9 WHERE sales_order_id = 1`;
    const r = await ingest(p);
    assert.equal(r.status, "committed");
    assert.equal(r.tables.sales_order?.rows, 1);
    await transform(p, r.runId!);
    await load(p, r.runId!);
    const [row] = await p.wh.sql`SELECT units_sold FROM fact_sales_order_current WHERE sales_order_id = 1`;
    assert.equal(row!.units_sold, 9);
  }));
