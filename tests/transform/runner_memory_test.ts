/**
 * The transform's runner over an in-memory object store: the whole stage (chain, Parquet, quarantine, state,
 * manifest) without S3 or PostgreSQL.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SOURCE_TABLE_NAMES, type SourceTableName, WAREHOUSE_TABLES } from "../../lib/contract/mod.ts";
import type { IngestManifest, ManifestTable } from "../../lib/run/mod.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { decodeParquet } from "../../lib/parquet/mod.ts";
import type { TransformManifest } from "../../lib/transform/manifest.ts";
import { runTransform, type TransformStore } from "../../lib/transform/stage.ts";

setLogSink(() => {});

/** An object store in memory: keys in order, a missing key's stream throws `NoSuchKey` as S3's does. */
class MemoryStore implements TransformStore {
  readonly objects = new Map<string, Uint8Array>();
  put(key: string, body: Uint8Array | string): Promise<void> {
    this.objects.set(key, typeof body === "string" ? new TextEncoder().encode(body) : body);
    return Promise.resolve();
  }
  async upload(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const chunks = await Array.fromAsync(body);
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    this.objects.set(key, bytes);
  }
  async *stream(key: string): AsyncGenerator<Uint8Array> {
    const body = this.objects.get(key);
    if (!body) throw Object.assign(new Error(`no object ${key}`), { name: "NoSuchKey" });
    yield body;
  }
  getJson<T>(key: string): Promise<T | undefined> {
    const body = this.objects.get(key);
    return Promise.resolve(body && JSON.parse(new TextDecoder().decode(body)) as T);
  }
  list(prefix: string, startAfter?: string): Promise<string[]> {
    const keys = [...this.objects.keys()].filter((k) =>
      k.startsWith(prefix) && (!startAfter || k > startAfter)
    );
    return Promise.resolve(keys.sort());
  }
}

const TS = "2022-11-03 14:20:49.962";
const ROWS: Partial<Record<SourceTableName, Record<string, unknown>[]>> = {
  address: [{
    address_id: 1,
    address_line_1: "6826 Herzog Via",
    address_line_2: null,
    district: "Avon",
    city: "New Patienceburgh",
    postal_code: "28441",
    country: "Turkey",
    phone: "1803 637401",
    created_at: TS,
    last_updated: TS,
  }],
  currency: [{ currency_id: 1, currency_code: "GBP", created_at: TS, last_updated: TS }],
  department: [{ department_id: 1, department_name: "Sales", location: "Manchester", last_updated: TS }],
  staff: [{
    staff_id: 1,
    first_name: "Jeremie",
    last_name: "Franey",
    department_id: 1,
    email_address: "jeremie.franey@terrifictotes.com",
    last_updated: TS,
  }],
  counterparty: [{
    counterparty_id: 1,
    counterparty_legal_name: "Fahey and Sons",
    legal_address_id: 1,
    last_updated: TS,
  }],
  sales_order: [{
    sales_order_id: 1,
    created_at: "2022-11-03 14:20:52.186",
    last_updated: "2022-11-03 14:20:52.186",
    design_id: 1,
    staff_id: 1,
    counterparty_id: 1,
    units_sold: 42972,
    unit_price: "3.94",
    currency_id: 1,
    agreed_delivery_date: "2022-11-07",
    agreed_payment_date: "2022-11-08",
    agreed_delivery_location_id: 1,
  }],
};

/** Writes an ingest run (objects and manifest) whose tables hold `rows`. */
async function ingestRun(store: MemoryStore, runId: string, previous: string | null, rows: typeof ROWS) {
  const tables = {} as Record<SourceTableName, ManifestTable>;
  for (const table of SOURCE_TABLE_NAMES) {
    const lines = rows[table];
    let object: ManifestTable["object"] = null;
    if (lines) {
      const body = new TextEncoder().encode(lines.map((r) => JSON.stringify(r)).join("\n") + "\n");
      const key = `${table}/2026/11/30/${runId}.jsonl`;
      await store.put(key, body);
      object = {
        key,
        rows: lines.length,
        bytes: body.length,
        sha256: createHash("sha256").update(body).digest("hex"),
      };
    }
    tables[table] = { previous_watermark: null, watermark: null, object, columns: [], added_columns: [] };
  }
  const manifest: IngestManifest = {
    kind: "ingest",
    version: 2,
    run_id: runId,
    previous_run_id: previous,
    started_at: "2026-11-30T10:00:00.000Z",
    finished_at: "2026-11-30T10:00:01.000Z",
    tables,
  };
  await store.put(`_manifests/ingest/${runId}.json`, JSON.stringify(manifest));
}

Deno.test("runTransform() over an in-memory store: a waiting fact, then the run that releases it, caught up in order", async () => {
  const ingestion = new MemoryStore();
  const processed = new MemoryStore();
  const r1 = "20261130T100000000Z-000001";
  const r2 = "20261130T100100000Z-000002";
  await ingestRun(ingestion, r1, null, ROWS);
  await ingestRun(ingestion, r2, r1, {
    design: [{
      design_id: 1,
      created_at: TS,
      design_name: "Wooden",
      file_location: "/usr",
      file_name: "w.json",
      last_updated: TS,
    }],
  });
  // Only r2 is asked for: r1 has no state yet, so it is transformed first.
  const result = await runTransform({ ingestion, processed, runId: r2, badRows: "quarantine" });
  assert.deepEqual(result.caughtUp, [r1]);
  assert.deepEqual(result.tables.fact_sales_order, 1);
  const m1 = (await processed.getJson<TransformManifest>(`_manifests/transform/${r1}.json`))!;
  assert.deepEqual(Object.keys(m1.tables), ["dim_location", "dim_currency", "dim_staff", "dim_counterparty"]);
  assert.equal(m1.quarantine.sales_order?.rows, 1); // waiting for design 1
  const m2 = (await processed.getJson<TransformManifest>(`_manifests/transform/${r2}.json`))!;
  assert.deepEqual(Object.keys(m2.tables), ["dim_date", "dim_design", "fact_sales_order"]);
  assert.deepEqual(m2.date_range, ["2022-01-01", "2022-12-31"]);
  assert.deepEqual(m2.quarantine, {});
});

Deno.test("runTransform() over an in-memory store writes byte-identical objects when run again", async () => {
  const ingestion = new MemoryStore();
  const r1 = "20261130T100000000Z-000001";
  await ingestRun(ingestion, r1, null, { ...ROWS, sales_order: [] });
  const first = new MemoryStore();
  const second = new MemoryStore();
  await runTransform({ ingestion, processed: first, runId: r1 });
  await runTransform({ ingestion, processed: second, runId: r1 });
  assert.deepEqual([...first.objects.keys()].sort(), [...second.objects.keys()].sort());
  for (const [key, body] of first.objects) assert.deepEqual(second.objects.get(key), body, key);
  const key = [...first.objects.keys()].find((k) => k.startsWith("dim_location/"))!;
  const rows = await Array.fromAsync(
    decodeParquet(first.objects.get(key)!, WAREHOUSE_TABLES.dim_location.columns),
  );
  assert.equal(rows.flat()[0]!.city, "New Patienceburgh");
});

Deno.test("runTransform() names a missing ingestion object and a wrong hash", async () => {
  const ingestion = new MemoryStore();
  const r1 = "20261130T100000000Z-000001";
  await ingestRun(ingestion, r1, null, ROWS);
  ingestion.objects.set(`currency/2026/11/30/${r1}.jsonl`, new TextEncoder().encode("{}\n"));
  await assert.rejects(
    runTransform({ ingestion, processed: new MemoryStore(), runId: r1 }),
    /Ingestion object currency\/2026\/11\/30\/.*\.jsonl has SHA-256 .*, the manifest says/,
  );
  ingestion.objects.delete(`currency/2026/11/30/${r1}.jsonl`);
  await assert.rejects(
    runTransform({ ingestion, processed: new MemoryStore(), runId: r1 }),
    /listed in the run's manifest is missing/,
  );
  await assert.rejects(
    runTransform({ ingestion, processed: new MemoryStore(), runId: "nope" }),
    /No ingest manifest/,
  );
});
