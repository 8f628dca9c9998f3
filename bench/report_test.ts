import assert from "node:assert/strict";
import {
  BEGIN_MARKER,
  END_MARKER,
  evaluateTargets,
  generatedMarkdown,
  median,
  mergeMarkdown,
  pipelineSummary,
  resultsTable,
  scaleLabel,
  type ScaleResult,
  type ScenarioResult,
  seconds,
  type StageSample,
} from "./report.ts";
import { parseLogLine, parseTimeOutput, stageOwnMs } from "./measure.ts";

const st = (
  wallMs: number,
  rows: number,
  peakMiB: number,
  stageMs: number | null = wallMs - 300,
): StageSample => ({
  wallMs,
  stageMs,
  rows,
  peakRssKiB: peakMiB * 1024,
});

function scenario(name: ScenarioResult["scenario"], changes: number | null, walls: number[][], peak = 200) {
  return {
    scenario: name,
    changes,
    samples: walls.map(([i, t, l], n) => ({
      runId: `r${n}`,
      load1: 1 + n,
      stages: { ingest: st(i!, 100, peak), transform: st(t!, 120, peak + 10), load: st(l!, 120, peak - 10) },
    })),
  };
}

function scale(
  orders: number,
  floorMs: number,
  full: number[],
  inc: number[][],
  peak = 200,
  noFkMs: number | null = null,
): ScaleResult {
  return {
    orders,
    sourceRows: { sales_order: orders, payment: orders },
    seedMs: 1,
    floor: {
      rows: orders * 2,
      samplesMs: [floorMs, floorMs + 100, floorMs - 100],
      noForeignKeysMs: noFkMs === null ? [] : [noFkMs, noFkMs + 50, noFkMs - 50],
      load1: [0.5],
    },
    scenarios: [
      scenario("full", null, [full], peak),
      scenario("incremental_100", 100, inc, peak),
    ],
  };
}

Deno.test("median: odd, even, unsorted; empty throws", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

Deno.test("scaleLabel and seconds", () => {
  assert.equal(scaleLabel(10_000), "10k");
  assert.equal(scaleLabel(1_000_000), "1M");
  assert.equal(scaleLabel(3_000_000), "3M");
  assert.equal(scaleLabel(12_345), "12,345");
  assert.equal(seconds(412), "0.412");
  assert.equal(seconds(3214), "3.21");
  assert.equal(seconds(45_310), "45.3");
  assert.equal(seconds(312_400), "312");
});

Deno.test("pipelineSummary adds the stages per sample, then takes the median", () => {
  const sc = scenario("incremental_100", 100, [[100, 200, 300], [1000, 1000, 1000], [200, 200, 200]]);
  const p = pipelineSummary(sc);
  assert.equal(p.wallMs, 600);
  assert.equal(p.minMs, 600);
  assert.equal(p.maxMs, 3000);
  assert.equal(p.n, 3);
  assert.equal(p.rows, 100);
  assert.equal(p.peakRssKiB, 210 * 1024);
  assert.equal(p.stageMs, -300); // (100+200+200 - 900) median of [-300, 2100, -300]
});

Deno.test("evaluateTargets: issue 15's targets, met and missed, each with its figure", () => {
  const scales = [
    scale(10_000, 1000, [400, 400, 400], [[300, 300, 300]]),
    scale(1_000_000, 20_000, [10_000, 10_000, 9_000], [[500, 500, 500]], 600, 10_000),
  ];
  const t = evaluateTargets(scales);
  assert.deepEqual(t.map((x) => x.status), ["met", "missed", "met", "not measured"]);
  assert.equal(
    t[0]!.measured,
    "29.0 s vs floor without foreign keys 10.0 s: 2.90×; 1.45× the floor with foreign keys (20.0 s)",
  );
  assert.equal(t[1]!.target, "Peak RSS of every stage at most 256 MiB at 1M orders");
  assert.equal(t[1]!.measured, "largest 610 MiB (transform, full)");
  // own time = wall - 300 per stage: 3 × 200 ms, exactly the 0.6 s limit
  assert.equal(t[2]!.measured, "own time 0.600 s (median of 1); processes' wall time 1.50 s");
  assert.equal(t[3]!.measured, "not run (--chunked N)");
});

Deno.test("evaluateTargets: the full run misses past 3× the floor without foreign keys; 256 MiB is allowed", () => {
  const s1m = scale(1_000_000, 20_000, [10_000, 10_000, 10_001], [[520, 500, 500]], 246, 10_000);
  const t = evaluateTargets([s1m]);
  assert.deepEqual(t.map((x) => x.status), ["missed", "met", "missed", "not measured"]);
  assert.match(t[0]!.measured, /^30\.0 s vs floor without foreign keys 10\.0 s: 3\.00×/);
  assert.equal(t[1]!.measured, "largest 256 MiB (transform, full)");
  assert.match(t[2]!.measured, /^own time 0\.620 s/);
});

Deno.test("evaluateTargets: scales not run are 'not measured'", () => {
  const t = evaluateTargets([scale(10_000, 1000, [1, 1, 1], [[1, 1, 1]])]);
  assert.deepEqual(t.map((x) => x.status), ["not measured", "not measured", "not measured", "not measured"]);
  const noFloor = evaluateTargets([scale(1_000_000, 1000, [1, 1, 1], [[1, 1, 1]])]);
  assert.equal(noFloor[0]!.measured, "floor not measured (--no-floor)");
});

Deno.test("resultsTable: a floor row, three stages and the pipeline per scenario, ratios to the floor", () => {
  const table = resultsTable([scale(10_000, 1000, [400, 500, 600], [[300, 300, 300], [310, 300, 300]])]);
  const rows = table.split("\n");
  assert.equal(rows.length, 2 + 1 + 4 + 4);
  assert.equal(
    rows[2],
    "| 10k | floor | COPY → COPY | 20,000 | 1.00 (0.900–1.10, n=3) | 20,000 | 1.00× | – | – |",
  );
  assert.equal(rows[6], "| 10k | full | **pipeline** | 100 | 1.50 | 67 | 1.50× | 210 | 0.600 |");
  assert.match(
    rows[10]!,
    /^\| 10k \| \+100 changes \| \*\*pipeline\*\* \| 100 \| 0\.905 \(0\.900–0\.910, n=2\) \|/,
  );
});

Deno.test("mergeMarkdown replaces only the generated block", () => {
  const first = mergeMarkdown(undefined, "table v1");
  assert.ok(first.startsWith("# Benchmarks\n"));
  assert.ok(first.includes(`${BEGIN_MARKER}\n\ntable v1\n\n${END_MARKER}`));
  const edited = first.replace("# Benchmarks\n", "# Benchmarks\n\nIntro.\n") + "\n## Analysis\n\nKept.\n";
  const second = mergeMarkdown(edited, "table v2\n");
  assert.ok(second.includes("Intro."));
  assert.ok(second.includes("## Analysis\n\nKept."));
  assert.ok(second.includes("table v2"));
  assert.ok(!second.includes("table v1"));
});

Deno.test("generatedMarkdown names the machine, the data and the targets", () => {
  const scales = [scale(10_000, 1000, [400, 400, 400], [[300, 300, 300]])];
  const md = generatedMarkdown({
    version: 1,
    machine: {
      cpuModel: "Test CPU",
      cores: 2,
      memoryMiB: 2048,
      os: "Linux",
      postgres: "PostgreSQL 18.4",
      postgresHost: "127.0.0.1:54329",
      s3: "s3rver",
      deno: "2.9.6",
      v8: "15",
      date: "2026-11-30T00:00:00.000Z",
    },
    startedAt: "a",
    finishedAt: "b",
    options: { scales: [10_000], repeat: 3, fullRepeat: 1, profiled: false },
    code: { commit: "0123456789abcdef", dirty: false, snapshot: true },
    scales,
    targets: evaluateTargets(scales),
  });
  assert.match(md, /Code measured: commit 0123456789ab \(the stages ran from a snapshot of it\)/);
  assert.match(md, /- CPU: Test CPU, 2 logical cores/);
  assert.match(md, /- Memory: 2,048 MiB/);
  assert.match(md, /PostgreSQL 18\.4/);
  assert.match(md, /Deno 2\.9\.6/);
  assert.match(md, /10k: 20,000 source rows \(10,000 sales orders/);
  assert.match(md, /Load average \(1 min\) when measurements started: 0\.5–1\.0/);
  assert.match(md, /### Targets \(issue 15\)/);
  assert.match(
    md,
    /\| Full run at 1M orders: end to end within 3× the COPY floor without foreign keys \| not measured \|/,
  );
  assert.doesNotMatch(md, /### Chunked first run/);
});

Deno.test("GNU time output and stage logs are parsed", () => {
  assert.equal(parseTimeOutput("123456\n"), 123456);
  assert.equal(parseTimeOutput("Command exited with non-zero status 1\n2048\n"), 2048);
  assert.equal(parseTimeOutput(""), null);
  assert.equal(parseLogLine("not json"), null);
  assert.deepEqual(parseLogLine('{"msg":"x"}'), { msg: "x" });
  const lines = [
    '{"msg":"Table read","ms":5}',
    '{"msg":"Run committed","ms":1234}',
    "Error: something",
  ];
  assert.equal(stageOwnMs(lines), 1234);
  assert.equal(stageOwnMs(['{"msg":"Table read","ms":5}']), null);
});

Deno.test("scan floor: its own row after the COPY floors, and named beside the incremental target", () => {
  const s = scale(1_000_000, 20_000, [10_000, 10_000, 9_000], [[500, 500, 500]], 200, 10_000);
  s.floor.scanMs = [410, 390, 400];
  const rows = resultsTable([s]).split("\n");
  assert.equal(rows.length, 2 + 3 + 4 + 4);
  assert.equal(
    rows[4],
    "| 1M | floor | count(*) scan, 2 at once | 2,000,000 | 0.400 (0.390–0.410, n=3) | 5,000,000 | 0.02× | – | – |",
  );
  const t = evaluateTargets([s]);
  assert.equal(
    t[2]!.measured,
    "own time 0.600 s (median of 1); processes' wall time 1.50 s; " +
      "scan floor (count(*) of every table, two at once) 0.400 s",
  );
  // Results written before the scan floor existed render as before.
  delete s.floor.scanMs;
  assert.equal(resultsTable([s]).split("\n").length, 2 + 2 + 4 + 4);
});
