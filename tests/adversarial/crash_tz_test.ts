/**
 * Crash safety and time zones of the real CLI (`deno run -A main/etl.ts run`): kill -9 at chosen points of ingest,
 * transform and load (and at random times), re-run, and compare the warehouse with a clean pipeline's; and the
 * same pipeline under TZ=UTC and TZ=Pacific/Chatham.
 */
import assert from "node:assert/strict";
import { digest, etl, etlEnv, open, type Pipeline, ROOT } from "./_helpers.ts";
import { seedDatabase, simulateActivity } from "../../tools/totesys/mod.ts";
import { textLines } from "../../lib/io/lines.ts";

/** Starts `etl run --verbose` and kills it with SIGKILL at the first log line `when` accepts (or after `ms`). */
async function killedRun(
  p: Pipeline,
  when: ((log: Record<string, unknown>) => boolean) | null,
  ms?: number,
): Promise<{ killed: boolean; code: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main/etl.ts", "run", "--verbose"],
    cwd: ROOT,
    env: etlEnv(p),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  };
  const timer = ms === undefined ? undefined : setTimeout(kill, ms);
  for await (const line of textLines(child.stderr)) {
    if (!when || killed) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (when(entry)) kill();
  }
  clearTimeout(timer);
  const status = await child.status;
  return { killed: killed && status.signal === "SIGKILL", code: status.code };
}

const at = (stage: string, msg: string, table?: string) => (e: Record<string, unknown>) =>
  e.stage === stage && e.msg === msg && (table === undefined || e.table === table);

const KILL_POINTS: [string, (e: Record<string, unknown>) => boolean][] = [
  ["ingest, after the sales_order object", at("ingest", "Table read", "sales_order")],
  ["ingest, after the manifest", at("ingest", "Run committed")],
  ["transform, after fact_sales_order", at("transform", "Table written", "fact_sales_order")],
  ["transform, after its manifest", at("transform", "Run committed")],
  ["load, after dim_counterparty", at("load", "Table loaded", "dim_counterparty")],
  ["load, after the last fact", at("load", "Table loaded", "fact_payment")],
];

Deno.test("kill -9 at every stage, then re-run: the warehouse equals a clean run's", async () => {
  const clean = await open("crc", false);
  const crash = await open("crk", false);
  try {
    for (const p of [clean, crash]) {
      await seedDatabase(p.src.sql, { orders: 3_000, seed: 11, createSchema: true });
    }
    let step = 0;
    const steps = [
      ...KILL_POINTS.map(([name, when]) => ({ name, when, ms: undefined as number | undefined })),
    ];
    for (const ms of [150, 700, 1_300, 2_100]) steps.push({ name: `at ${ms} ms`, when: () => false, ms });
    for (const { name, when, ms } of steps) {
      step++;
      assert.equal((await etl(clean, ["run"])).code, 0);
      const k = await killedRun(crash, when, ms);
      if (ms === undefined) assert.ok(k.killed, `the run was killed ${name}`);
      // then re-run until it completes (a kill late in the run may have let it finish first)
      const again = await etl(crash, ["run"]);
      assert.equal(again.code, 0, `${name}: ${again.stderr}`);
      assert.deepEqual(
        await digest(crash.wh.sql),
        await digest(clean.wh.sql),
        `after a kill ${name} (killed: ${k.killed})`,
      );
      for (const p of [clean, crash]) await simulateActivity(p.src.sql, { changes: 200, seed: step });
    }
  } finally {
    await clean.close();
    await crash.close();
  }
});

Deno.test("TZ=Pacific/Chatham and TZ=UTC give byte-identical warehouses", async () => {
  const utc = await open("tzu", false);
  const chatham = await open("tzc", false);
  try {
    for (const p of [utc, chatham]) {
      await seedDatabase(p.src.sql, { orders: 500, seed: 3, createSchema: true });
      for (const c of ["created_at", "last_updated"]) {
        await p.src.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN ${c} TYPE timestamp(6)`);
      }
      // times near midnight and DST edges of Chatham (UTC+13:45 / +12:45), with microseconds
      await p.src.sql`UPDATE sales_order SET created_at = '2024-04-06 13:59:59.999999',
        last_updated = '2024-09-28 14:00:00.000001' WHERE sales_order_id = 1`;
      await p.src.sql`UPDATE sales_order SET created_at = '2024-12-31 23:59:59.123456',
        last_updated = '2025-01-01 00:00:00.654321' WHERE sales_order_id = 2`;
    }
    for (const round of [1, 2]) {
      const a = await etl(utc, ["run"], { TZ: "UTC" });
      const b = await etl(chatham, ["run"], { TZ: "Pacific/Chatham" });
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.deepEqual(await digest(chatham.wh.sql), await digest(utc.wh.sql), `round ${round}`);
      for (const p of [utc, chatham]) await simulateActivity(p.src.sql, { changes: 100, seed: round });
    }
    const [r] = await chatham.wh.sql`SELECT created_time::text AS c, last_updated_date::text AS d,
      last_updated_time::text AS t FROM fact_sales_order WHERE sales_order_id = 2 ORDER BY 2, 3 LIMIT 1`;
    assert.deepEqual({ ...r }, { c: "23:59:59.123456", d: "2025-01-01", t: "00:00:00.654321" });
  } finally {
    await utc.close();
    await chatham.close();
  }
});
