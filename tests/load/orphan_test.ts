/**
 * A load process that dies while its backend is busy must not leave that backend running on. PostgreSQL notices
 * a vanished client only when it next talks to it, so a backend busy in a long statement (a big merge) outlived a
 * kill -9 of the load, holding the load lock: the next load waited, printing only "working...", until the orphan's
 * statement ended. Here the orphan's statement is made long by a lock the test holds on dim_date.
 */
import assert from "node:assert/strict";
import { ingest, open, transform } from "../adversarial/_helpers.ts";
import { migrate } from "../../lib/load/migrations.ts";
import { LOAD_LOCK_KEY } from "../../lib/load/migrations.ts";

Deno.test("a load killed while its statement runs leaves no backend behind holding the load lock", async () => {
  const p = await open("orph");
  const holder = await p.wh.sql.reserve();
  try {
    const r = await ingest(p);
    await transform(p, r.runId!);
    await migrate(p.wh.sql);
    await holder.unsafe("BEGIN");
    await holder.unsafe("LOCK TABLE dim_date IN ACCESS EXCLUSIVE MODE");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./_killable_load.ts", import.meta.url).pathname,
        p.wh.url,
        p.processed.name,
        r
          .runId!,
      ],
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    const pid = await waitFor(async () => {
      const [w] = await p.wh.sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()
        AND wait_event_type = 'Lock' AND query LIKE 'CREATE TEMP TABLE stg_dim_date%'`;
      return w ? Number(w.pid) : null;
    });
    child.kill("SIGKILL");
    await child.status;
    const gone = await waitFor(async () => {
      const [a] = await p.wh.sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid}`;
      return a!.n === 0 ? true : null;
    }).catch(() => false);
    assert.equal(gone, true, `backend ${pid} of the killed load still runs, holding the load lock`);
    const [free] = await p.wh.sql`SELECT pg_try_advisory_lock(${LOAD_LOCK_KEY.toString()}::bigint) AS ok`;
    assert.equal(free!.ok, true);
    await p.wh.sql`SELECT pg_advisory_unlock(${LOAD_LOCK_KEY.toString()}::bigint)`;
  } finally {
    await holder.unsafe("ROLLBACK").catch(() => {});
    holder.release();
    await p.close();
  }
});

/** Polls `probe` every 100 ms for up to 10 s until it gives a value. */
async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== null) return v;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error("Timed out after 10 s");
}
