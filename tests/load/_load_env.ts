/**
 * The load tests' environment: a ToteSys with the base fixture, a warehouse, the two buckets, and helpers to
 * ingest and transform a run and to fingerprint the warehouse.
 *
 * @module
 */
import { freshBucket, freshDatabase, type TestDatabase } from "../harness.ts";
import { createBaseTotesys } from "../fixtures/totesys_rows.ts";
import { runIngest } from "../../lib/ingest/stage.ts";
import { runTransform } from "../../lib/transform/stage.ts";
import { WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";
import { connect, type Sql } from "../../lib/io/pg.ts";
import type { Bucket } from "../../lib/io/s3.ts";

let clock = Date.UTC(2026, 10, 30, 11, 0, 0);

export interface Env {
  src: TestDatabase;
  wh: TestDatabase;
  ingestion: Bucket;
  processed: Bucket;
  /** ingest + transform; returns the run id */
  prepare(): Promise<string>;
  snapshot(sql?: Sql): Promise<string>;
}

export async function withEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  const src = await freshDatabase("lds");
  const wh = await freshDatabase("ldw");
  const ingestion = await freshBucket("ldi");
  const processed = await freshBucket("ldp");
  try {
    await createBaseTotesys(src.sql);
    await fn({
      src,
      wh,
      ingestion,
      processed,
      async prepare() {
        const r = await runIngest({
          sql: src.sql,
          copyConnection: () => connect(src.url, { max: 1 }),
          bucket: ingestion,
          now: () => (clock += 1000),
          entropy: () => "aaaaaa",
        });
        await runTransform({ ingestion, processed, runId: r.runId! });
        return r.runId!;
      },
      async snapshot(sql = wh.sql) {
        const parts: string[] = [];
        for (const t of WAREHOUSE_TABLE_NAMES) {
          const [r] = await sql.unsafe(
            `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${t} t`,
          );
          parts.push(`${t}:${r!.n}:${r!.h}`);
        }
        return parts.join("\n");
      },
    });
  } finally {
    await src.drop();
    await wh.drop();
  }
}

/** Every index and constraint of the public schema, with its definition and whether it is validated. */
export async function structures(sql: Sql): Promise<string[]> {
  const indexes = await sql<
    { d: string }[]
  >`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public'`;
  const constraints = await sql<{ d: string }[]>`SELECT conrelid::regclass::text || ' ' || conname || ' ' ||
      pg_get_constraintdef(oid) || ' ' || convalidated AS d
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace`;
  return [...indexes, ...constraints].map((r) => r.d).sort();
}
