/**
 * A big first run (200,000 sales orders) through the real CLI, one stage per process, measuring each process's
 * peak RSS with /usr/bin/time. Issue 3: a first run over millions of rows fits in a Lambda of 1 GB; so must each
 * stage here, with a wide margin at this size. Also: the transform of a run that references a far-future date.
 */
import assert from "node:assert/strict";
import { digest, etlEnv, open, type Pipeline, ROOT } from "./_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";

const LIMIT_KB = 512 * 1024;
/** Sales orders of the big run (ADVERSARIAL_ORDERS overrides, to see how memory grows with size). */
const ORDERS = Number(Deno.env.get("ADVERSARIAL_ORDERS") ?? 200_000);

async function measured(p: Pipeline, args: string[]): Promise<{ kb: number; stdout: string; ms: number }> {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "MAXRSS_KB=%M", Deno.execPath(), "run", "-A", "main/etl.ts", ...args],
    cwd: ROOT,
    env: etlEnv(p),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr.slice(-2000));
  const kb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)![1]);
  return { kb, stdout: new TextDecoder().decode(out.stdout), ms: performance.now() - t0 };
}

Deno.test({
  name: "200k-order first run: each stage's peak RSS stays under 512 MiB",
  ignore: !(await Deno.stat("/usr/bin/time").then(() => true, () => false)),
  fn: async () => {
    const p = await open("big", false);
    try {
      await seedDatabase(p.src.sql, { orders: ORDERS, seed: 5, createSchema: true });
      const ing = await measured(p, ["ingest"]);
      const runId = JSON.parse(ing.stdout).runId as string;
      const tr = await measured(p, ["transform", "--run", runId]);
      const ld = await measured(p, ["load", "--run", runId]);
      const report = `ingest ${ing.kb} KiB ${Math.round(ing.ms)} ms, transform ${tr.kb} KiB ${
        Math.round(tr.ms)
      } ms, load ${ld.kb} KiB ${Math.round(ld.ms)} ms`;
      console.log(report);
      const d = await digest(p.wh.sql);
      assert.equal(d.fact_sales_order!.split(":")[0], String(ORDERS));
      for (const [stage, kb] of [["ingest", ing.kb], ["transform", tr.kb], ["load", ld.kb]] as const) {
        assert.ok(kb < LIMIT_KB, `${stage} peaked at ${kb} KiB (${report})`);
      }
    } finally {
      await p.close();
    }
  },
});

Deno.test({
  name: "one sales order agreed for 9999-12-31: the transform's peak RSS stays under 512 MiB",
  ignore: !(await Deno.stat("/usr/bin/time").then(() => true, () => false)),
  fn: async () => {
    const p = await open("far", true);
    try {
      await p.src.sql`UPDATE sales_order SET agreed_delivery_date = '9999-12-31' WHERE sales_order_id = 1`;
      const ing = await measured(p, ["ingest"]);
      const runId = JSON.parse(ing.stdout).runId as string;
      const tr = await measured(p, ["transform", "--run", runId]);
      assert.ok(tr.kb < LIMIT_KB, `transform peaked at ${tr.kb} KiB in ${Math.round(tr.ms)} ms`);
    } finally {
      await p.close();
    }
  },
});
