/**
 * C2, C3: a database that goes away mid-run (here: a proxy in front of it cut) ends `etl run` at once with one
 * error line naming the database, the stage, the run and the table, exit 1: never a hang, never a stack trace
 * from postgres.js. A rerun once the database is back completes the run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { etl, etlEnv, ROOT, withPipeline } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../lib/totesys/mod.ts";
import { startProxy } from "./_proxy.ts";

async function runAndCut(
  env: Record<string, string>,
  cutWhen: RegExp,
  cut: () => void,
): Promise<{ code: number; stderr: string; afterCutMs: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main/etl.ts", "run"],
    cwd: ROOT,
    env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let cutAt = 0;
  let stderr = "";
  for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
    stderr += chunk;
    if (!cutAt && cutWhen.test(stderr)) {
      cutAt = performance.now();
      cut();
    }
  }
  const { code } = await child.status;
  return { code, stderr, afterCutMs: cutAt ? performance.now() - cutAt : -1 };
}

for (
  const c of [
    {
      name: "warehouse during the load's COPY",
      db: "wh" as const,
      when: /^load fact_\w+: [1-9]/m,
      stage: "load",
    },
    { name: "ToteSys during the ingest", db: "src" as const, when: /^ingest \w+: [1-9]/m, stage: "ingest" },
  ]
) {
  Deno.test(`the ${c.name} goes away: etl run ends at once naming it, exit 1; a rerun completes`, () =>
    withPipeline(`lost${c.db}`, async (p) => {
      await seedDatabase(p.src.sql, { orders: 20_000, seed: 5, createSchema: true });
      const target = new URL(c.db === "wh" ? p.wh.url : p.src.url);
      const proxy = await startProxy(target.hostname, Number(target.port));
      try {
        const via = new URL(target);
        via.port = String(proxy.port);
        const key = c.db === "wh" ? "WAREHOUSE_DATABASE_URL" : "TOTESYS_DATABASE_URL";
        const r = await runAndCut(etlEnv(p, { [key]: via.toString() }), c.when, () => proxy.cut());
        assert.ok(r.afterCutMs >= 0, `never cut:\n${r.stderr}`);
        assert.equal(r.code, 1, r.stderr);
        assert.ok(r.afterCutMs < 5000, `ended ${Math.round(r.afterCutMs)} ms after the cut`);
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
    }, false));
}
