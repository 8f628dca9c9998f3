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
import type { Pipeline } from "../fixtures/pipeline.ts";
import { freshBucket, freshDatabase } from "../harness.ts";
import { digest, ingest, load, transform } from "../adversarial/_helpers.ts";
import { chunkDoneKey, chunkObjectKey, commitChunkedRun } from "../../lib/ingest/chunks.ts";
import { type IngestManifest, ingestManifestKey, tableObjects } from "../../lib/run/mod.ts";
import { reconcile } from "../../lib/reconcile/mod.ts";
import { chunkCli, chunks, forEachSeededServer, plan, tick } from "./_chunked.ts";

async function commitAndLoad(p: Pipeline, runId: string): Promise<IngestManifest> {
  const r = await commitChunkedRun({
    sql: p.src.sql,
    bucket: p.ingestion,
    runId,
    now: tick,
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

forEachSeededServer(chunkedTests);

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
        assert.equal(resumed.code, 3, resumed.stderr); // a permanent failure
        assert.match(
          resumed.stderr,
          new RegExp(
            `Run ${ordinary.runId} committed after chunked run ${made.run_id} was planned \\(before any run\\): ` +
              `the chunked run cannot commit\\. Run ${ordinary.runId} already read ToteSys, so give up the chunked run \\(nothing needs deleting\\)`,
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
