/**
 * C22: `etl run` on a large ToteSys is never silent for more than 5 s on stderr (not a terminal: a line every
 * 3 s), and the lines name the stage, the table, the rows and the rate.
 *
 * @module
 */
import assert from "node:assert/strict";
import { etlEnv, ROOT, withPipeline } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";

Deno.test("etl run reports progress on stderr every few seconds, naming stage, table, rows and rate", () =>
  withPipeline("prog", async (p) => {
    await seedDatabase(p.src.sql, { orders: 160_000, seed: 3, createSchema: true });
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main/etl.ts", "run"],
      cwd: ROOT,
      env: etlEnv(p),
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const started = performance.now();
    const stamps: { at: number; line: string }[] = [];
    const stderr = (async () => {
      let buf = "";
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        const lines = buf.split("\n");
        buf = lines.pop()!;
        for (const line of lines) stamps.push({ at: performance.now(), line });
      }
    })();
    const stdout = new Response(child.stdout).text();
    const status = await child.status;
    const ended = performance.now();
    await stderr;
    assert.equal(status.code, 0, stamps.map((s) => s.line).join("\n"));
    assert.match(await stdout, /fact_sales_order\s+160000\s+160000/);
    const times = [started, ...stamps.map((s) => s.at), ended];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // A run this size takes about 11.6 s on a quiet 2-core machine (40,000 orders took 5.5 s, too short to tell);
    // the child's start (Deno compiling) counts as silence too.
    assert.ok(ended - started > 6000, `the run took ${Math.round(ended - started)} ms: too short to tell`);
    // The reporter ticks every 3 s (lib/io/progress.ts, unit-tested); the bound here leaves room for a loaded
    // machine (a stage that stops reporting would be silent for its whole duration). The 5 s figure of the issue
    // is measured by the benchmark, not here.
    assert.ok(
      Math.max(...gaps) <= 12_000,
      `silent for ${Math.round(Math.max(...gaps))} ms:\n${stamps.map((s) => s.line).join("\n")}`,
    );
    const lines = stamps.map((s) => s.line);
    assert.ok(
      lines.some((l) => /^(ingest|transform|load) \w+: [\d,]+ rows, [\d,]+ rows\/s/.test(l)),
      lines.join("\n"),
    );
    // which stages a 3 s tick lands in depends on the machine; at least two ticks and more than one stage do not
    const stages = new Set(lines.map((l) => /^(ingest|transform|load) /.exec(l)?.[1]).filter((x) => x));
    assert.ok(stages.size >= 2, `progress from one stage only:\n${lines.join("\n")}`);
  }, false));
