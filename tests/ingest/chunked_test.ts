/**
 * The chunked first run (issue 15; lib/ingest/chunk_plan.ts) on a real PostgreSQL and the S3 emulator: it gives
 * the same warehouse as an unchunked run, a chunk killed between its object and its marker is redone without
 * duplicates, and writers changing rows while the chunks read are all captured by the next ordinary run.
 *
 * The same tests run on the default server and on a PostgreSQL 13 server (the live ToteSys version) when the local
 * services provide one (TOTESYS13_DATABASE_URL), as the capture tests do.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openPipeline, type Pipeline } from "../fixtures/pipeline.ts";
import { captureServers } from "./_servers.ts";
import { freshBucket, freshDatabase } from "../harness.ts";
import { digest, etlEnv, ingest, load, ROOT, transform } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import {
  chunkDoneKey,
  chunkObjectKey,
  commitChunkedRun,
  planChunkedRun,
  runChunk,
} from "../../lib/ingest/chunks.ts";
import type { ChunkPlan, ChunkSpec } from "../../lib/ingest/chunk_plan.ts";
import { type IngestManifest, ingestManifestKey, tableObjects } from "../../lib/run/mod.ts";
import { connect } from "../../lib/io/pg.ts";
import { reconcile } from "../../lib/reconcile/mod.ts";

let clock = Date.UTC(2026, 11, 2, 6, 0, 0);
const KEYS = 700; // 3,000 orders: 5 sales_order chunks, 7 of payment and transaction, 2 of purchase_order

async function plan(p: Pipeline, chunkKeys = KEYS): Promise<ChunkPlan> {
  const made = await planChunkedRun({
    sql: p.src.sql,
    bucket: p.ingestion,
    now: () => (clock += 60_000),
    entropy: () => "c4c4c4",
    chunkKeys,
  });
  assert.ok(made);
  return made;
}

async function chunks(p: Pipeline, runId: string, list: ChunkSpec[]): Promise<void> {
  const copyConnection = () => connect(p.src.url, { max: 1 });
  const queue = [...list];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      await runChunk({ copyConnection, bucket: p.ingestion, runId, table: c.table, index: c.index });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

async function commitAndLoad(p: Pipeline, runId: string): Promise<IngestManifest> {
  const r = await commitChunkedRun({
    sql: p.src.sql,
    bucket: p.ingestion,
    runId,
    now: () => (clock += 60_000),
  });
  assert.equal(r.status, "committed");
  await transform(p, runId);
  await load(p, runId);
  return (await p.ingestion.getJson<IngestManifest>(ingestManifestKey(runId)))!;
}

async function assertReconciled(p: Pipeline): Promise<void> {
  const r = await reconcile({ source: p.src.sql, warehouse: p.wh.sql });
  const diff = r.tables.filter((t) => t.differences.length > 0).map((t) =>
    `${t.table}: ${t.differences.length}`
  );
  assert.deepEqual(diff, [], "the warehouse equals ToteSys");
}

/** The tests below, once per server (tests/ingest/_servers.ts); `fn` gets ToteSys seeded with 3,000 orders. */
for (const server of captureServers()) {
  const name = (s: string) => `${s} (${server.label})`;
  const withSeeded = async (prefix: string, fn: (p: Pipeline) => Promise<void>): Promise<void> => {
    if (server.skip) return console.warn(server.skip);
    const p = await openPipeline(prefix, server.source);
    try {
      await seedDatabase(p.src.sql, { orders: 3_000, seed: 4, createSchema: true });
      await fn(p);
    } finally {
      await p.close();
    }
  };
  chunkedTests(name, withSeeded);
}

function chunkedTests(
  name: (s: string) => string,
  withSeeded: (prefix: string, fn: (p: Pipeline) => Promise<void>) => Promise<void>,
): void {
  Deno.test(
    name("a chunked first run gives the same warehouse as an unchunked one, every table compared"),
    () =>
      withSeeded("chk1", async (p) => {
        const made = await plan(p);
        assert.equal(made.chunks.filter((c) => c.table === "sales_order").length, 5);
        await chunks(p, made.run_id, made.chunks);
        const m = await commitAndLoad(p, made.run_id);
        assert.equal(m.tables.sales_order.parts?.length, 5);
        assert.equal(m.tables.staff.parts, undefined, "a one-chunk table has its one ordinary object");
        const [n] = await p.src.sql`SELECT count(*)::int AS n FROM sales_order`;
        assert.equal(tableObjects(m.tables.sales_order).reduce((a, o) => a + o.rows, 0), n!.n);

        // The same ToteSys through an unchunked first run, into another lake and warehouse.
        const wh = await freshDatabase("chk1u");
        const plain: Pipeline = {
          ...p,
          wh,
          ingestion: await freshBucket("chk1ui"),
          processed: await freshBucket("chk1up"),
        };
        try {
          const r = await ingest(plain);
          await transform(plain, r.runId!);
          await load(plain, r.runId!);
          assert.deepEqual(await digest(p.wh.sql), await digest(wh.sql));
        } finally {
          await wh.drop();
        }
        await assertReconciled(p);
        // A retried commit changes nothing; an ordinary run afterwards changes nothing in the warehouse. It may
        // re-read rows: the chunked run's position is S0 with an empty `seen`, so rows whose xid is at or above S0's
        // xmin are candidates again, and on a busy server other databases' open transactions hold that xmin below
        // the seed's xids (chunk_plan.ts); the load's content check then adds nothing.
        const again = await commitChunkedRun({
          sql: p.src.sql,
          bucket: p.ingestion,
          runId: made.run_id,
          now: () => 0,
        });
        assert.equal(again.manifestKey, ingestManifestKey(made.run_id));
        const loaded = await digest(p.wh.sql);
        const next = await ingest(p);
        if (next.status === "committed") {
          await transform(p, next.runId!);
          await load(p, next.runId!);
        }
        assert.deepEqual(await digest(p.wh.sql), loaded);
        await assertReconciled(p);
      }),
  );

  async function chunkCli(p: Pipeline, args: string[]): Promise<{ code: number; stderr: string }> {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main/chunks_cli.ts", ...args],
      cwd: ROOT,
      env: etlEnv(p),
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  }

  Deno.test(
    name("a chunk worker killed (kill -9) between its object and its marker is redone without duplicates"),
    () =>
      withSeeded("chk2", async (p) => {
        const made = await plan(p, 1_500); // fewer, larger chunks: each is a child process here
        const args = ["--run", made.run_id, "--table", "payment", "--index", "1"];
        const killed = await chunkCli(p, ["chunk", ...args, "--kill-after-object"]);
        assert.notEqual(killed.code, 0);
        assert.ok(
          await p.ingestion.exists(chunkObjectKey("payment", made.run_id, 1)),
          "its object was written",
        );
        assert.ok(!await p.ingestion.exists(chunkDoneKey(made.run_id, "payment", 1)), "its marker was not");
        await assert.rejects(
          commitChunkedRun({ sql: p.src.sql, bucket: p.ingestion, runId: made.run_id, now: () => 0 }),
          /chunk\(s\) not done yet/,
        );
        const resumed = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "3"]);
        assert.equal(resumed.code, 0, resumed.stderr);
        const m = (await p.ingestion.getJson<IngestManifest>(ingestManifestKey(made.run_id)))!;
        const ids: number[] = [];
        for (const o of tableObjects(m.tables.payment)) {
          const text = new TextDecoder().decode(await p.ingestion.get(o.key));
          for (const line of text.trimEnd().split("\n")) ids.push(JSON.parse(line).payment_id);
        }
        const [n] = await p.src.sql`SELECT count(*)::int AS n FROM payment`;
        assert.equal(ids.length, n!.n, "every payment once");
        assert.equal(new Set(ids).size, ids.length, "no duplicates");
        await transform(p, made.run_id);
        await load(p, made.run_id);
        await assertReconciled(p);
        const again = await chunkCli(p, ["run", "--resume", made.run_id]);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stderr, new RegExp(`run ${made.run_id} is already committed; nothing to do`));
        assert.doesNotMatch(again.stderr, /^chunk /m, "no chunk is run again");
      }),
  );

  Deno.test(
    name("resuming a chunked run that an ordinary run overtook fails before any chunk, naming both runs"),
    () =>
      withSeeded("chk4", async (p) => {
        const made = await plan(p, 1_500);
        const ordinary = await ingest(p); // the schedule's ingest, during the chunked run: a whole first read
        assert.equal(ordinary.status, "committed");
        const resumed = await chunkCli(p, ["run", "--resume", made.run_id]);
        assert.equal(resumed.code, 1, resumed.stderr);
        assert.match(
          resumed.stderr,
          new RegExp(
            `Run ${ordinary.runId} committed after chunked run ${made.run_id} was planned \\(before any run\\): ` +
              `the chunked run cannot commit\\. Run ${ordinary.runId} already read ToteSys, so drop the chunked run`,
          ),
        );
        assert.doesNotMatch(resumed.stderr, /^chunk /m, "no chunk ran");
        assert.equal(await p.ingestion.exists(chunkDoneKey(made.run_id, "payment", 0)), false);
      }),
  );

  Deno.test(
    name("writers changing rows during a chunked run are all captured by the next ordinary run"),
    () =>
      withSeeded("chk4", async (p) => {
        // A transaction open before the plan (in S0's in-progress list), committed while the chunks read.
        const open = await p.src.sql.reserve();
        await open.unsafe("BEGIN");
        // It writes in a range read before it commits (150) and one read after (2900): S0's window must not count
        // its xid as seen because a chunk read one of its rows.
        await open.unsafe(
          "UPDATE sales_order SET units_sold = units_sold + 7 WHERE sales_order_id IN (150, 2900)",
        );
        const made = await plan(p);
        const first = made.chunks.filter((c) => !["sales_order", "payment"].includes(c.table) || c.index < 2);
        await chunks(p, made.run_id, first);
        const w = p.src.sql;
        await w`UPDATE sales_order SET units_sold = units_sold + 1 WHERE sales_order_id IN (100, 2500)`; // done; not
        await w`UPDATE payment SET paid = NOT paid, last_updated = now() WHERE payment_id IN (50, 2600)`;
        await w`DELETE FROM payment WHERE payment_id IN (60, 2700)`; // a read range, a range not read yet
        await w.unsafe(
          `INSERT INTO sales_order SELECT 5000, created_at, now(), design_id, staff_id, counterparty_id,
      units_sold, unit_price, currency_id, agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id
      FROM sales_order WHERE sales_order_id = 1`,
        );
        await open.unsafe("COMMIT");
        open.release();
        await chunks(p, made.run_id, made.chunks.filter((c) => !first.includes(c)));
        await commitAndLoad(p, made.run_id);
        const next = await ingest(p);
        assert.equal(next.status, "committed");
        assert.equal(next.tables.payment?.deleted, 1, "the payment read, then deleted, is found deleted");
        await transform(p, next.runId!);
        await load(p, next.runId!);
        await assertReconciled(p);
        assert.equal((await ingest(p)).status, "no_changes");
      }),
  );
}
