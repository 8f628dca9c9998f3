/**
 * C2, C3: a database that goes away mid-run (here: a proxy in front of it cut) ends `etl run` at once with one
 * error line naming the database, the stage, the run and the table, exit 1: never a hang, never a stack trace
 * from postgres.js. A rerun once the database is back completes the run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { etl, etlEnv, ROOT, withPipeline } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import { startProxy } from "./_proxy.ts";

async function runUntilCut(
  env: Record<string, string>,
  cutAt: () => number | null,
): Promise<{ code: number; stderr: string; afterCutMs: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main/etl.ts", "run"],
    cwd: ROOT,
    env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  const { code } = await child.status;
  const at = cutAt();
  return { code, stderr, afterCutMs: at === null ? -1 : performance.now() - at };
}

for (
  const c of [
    {
      name: "warehouse during the load's COPY",
      db: "wh" as const,
      // the load's COPY FROM sends megabytes to the warehouse; nothing before it sends that much
      cutAfter: { direction: "up" as const, bytes: 2_000_000 },
      stage: "load",
    },
    {
      name: "warehouse during a fact merge",
      db: "wh" as const,
      // 30 ms after the merge statement went out: the server is running it, nothing flows
      cutAfter: { direction: "up" as const, bytes: 0, after: "INSERT INTO fact_sales_order", delayMs: 30 },
      stage: "load",
    },
    {
      name: "ToteSys during the ingest",
      db: "src" as const,
      // the ingest's COPY TO brings megabytes from ToteSys
      cutAfter: { direction: "down" as const, bytes: 2_000_000 },
      stage: "ingest",
    },
  ]
) {
  Deno.test({
    name: `the ${c.name} goes away: etl run ends at once naming it, exit 1; a rerun completes`,
    fn: () =>
      withPipeline(`lost${c.db}`, async (p) => {
        await seedDatabase(p.src.sql, { orders: 20_000, seed: 5, createSchema: true });
        const target = new URL(c.db === "wh" ? p.wh.url : p.src.url);
        const proxy = await startProxy(target.hostname, Number(target.port), c.cutAfter);
        try {
          const via = new URL(target);
          via.port = String(proxy.port);
          const key = c.db === "wh" ? "WAREHOUSE_DATABASE_URL" : "TOTESYS_DATABASE_URL";
          const r = await runUntilCut(etlEnv(p, { [key]: via.toString() }), proxy.cutAt);
          assert.ok(r.afterCutMs >= 0, `never cut:\n${r.stderr}`);
          assert.equal(r.code, 1, r.stderr);
          // "at once": well inside postgres.js's 30 s timeouts, with room for a loaded machine
          assert.ok(r.afterCutMs < 15_000, `ended ${Math.round(r.afterCutMs)} ms after the cut`);
          const last = r.stderr.trim().split("\n").pop()!;
          const label = c.db === "wh" ? "warehouse" : "ToteSys";
          assert.match(
            last,
            new RegExp(
              `^Error: the ${label} PostgreSQL at 127\\.0\\.0\\.1:${proxy.port} closed the connection during ${c.stage} ` +
                `of run \\d{8}T\\d{9}Z-[0-9a-f]{6} at \\w+`,
            ),
          );
          assert.doesNotMatch(r.stderr, /\s+at .*\.js:\d+/, "no stack trace");
        } finally {
          await proxy.close();
        }
        const rerun = await etl(p, ["run"]);
        assert.equal(rerun.code, 0, rerun.stderr);
        const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_sales_order`;
        assert.equal(n!.n, 20_000);
      }, false),
  });
}
