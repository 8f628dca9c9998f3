import assert from "node:assert/strict";
import {
  chunkedMarkdown,
  type ChunkedScenario,
  chunkedSummary,
  evaluateTargets,
  type StageSample,
} from "./report.ts";
import { parseChunkLines } from "./chunked.ts";

const stage = (wallMs: number, peakMiB: number): StageSample => ({
  wallMs,
  stageMs: wallMs - 300,
  rows: 10,
  peakRssKiB: peakMiB * 1024,
});

function chunked(orders: number, equal = true, bigRss = 120): ChunkedScenario {
  const chunks = [
    { table: "sales_order", index: 0, rows: 250_000, seconds: 9.5, peakRssMiB: bigRss },
    { table: "sales_order", index: 1, rows: 250_000, seconds: 10.5, peakRssMiB: 110 },
    { table: "currency", index: 0, rows: 3, seconds: 0.2, peakRssMiB: 60 },
  ];
  return {
    orders,
    chunkKeys: 250_000,
    seedMs: 40_000,
    sourceRows: { sales_order: orders },
    runs: [
      { workers: 1, runId: "a", wallMs: 30_000, load1: 1.5, chunks },
      {
        workers: 2,
        runId: "b",
        wallMs: 20_000,
        load1: 2.5,
        chunks: chunks.map((c) => ({ ...c, seconds: c.seconds + 1 })),
      },
    ],
    transformLoad: { transform: stage(25_000, 200), load: stage(35_000, 240) },
    unchunked: {
      runId: "u",
      load1: 1,
      stages: { ingest: stage(40_000, 300), transform: stage(25_000, 200), load: stage(35_000, 240) },
    },
    equality: {
      equal,
      tables: {
        dim_date: { chunked: "1096:abc", unchunked: "1096:abc" },
        fact_sales_order: { chunked: "3000000:def", unchunked: equal ? "3000000:def" : "2999999:xyz" },
      },
    },
  };
}

Deno.test("parseChunkLines reads the chunk runner's lines and nothing else", () => {
  const lines = [
    "chunks: run 20261202T120000000Z-abcdef, 3 chunks, 2 worker(s)",
    "chunk sales_order #0: 250000 rows, 9.51 s, peak RSS 123 MiB",
    "chunk currency #0: 3 rows, 0.2 s, peak RSS null MiB (already done)",
    "chunk payment #4 failed; retrying (1/1)",
  ];
  assert.deepEqual(parseChunkLines(lines), [
    { table: "sales_order", index: 0, rows: 250_000, seconds: 9.51, peakRssMiB: 123 },
    { table: "currency", index: 0, rows: 3, seconds: 0.2, peakRssMiB: null },
  ]);
});

Deno.test("chunkedSummary: medians and maxima over every run's chunks, speed-up of 2 workers over 1", () => {
  const s = chunkedSummary(chunked(3_000_000));
  assert.equal(s.chunks, 3);
  assert.equal(s.medianSeconds, (9.5 + 10.5) / 2);
  assert.equal(s.maxSeconds, 11.5);
  assert.equal(s.medianRssMiB, 110);
  assert.equal(s.maxRssMiB, 120);
  assert.equal(s.speedUp, 1.5);
});

Deno.test("chunked target: met at 3M when equal and within 256 MiB; missed or not measured otherwise", () => {
  const met = evaluateTargets([], chunked(3_000_000))[3]!;
  assert.equal(met.status, "met");
  assert.equal(
    met.measured,
    "3M, 3 chunks of 250,000 keys; per chunk max 11.5 s, max 120 MiB; 2 workers 1.50× the speed of 1; warehouse equal",
  );
  assert.equal(evaluateTargets([], chunked(3_000_000, false))[3]!.status, "missed");
  assert.equal(evaluateTargets([], chunked(3_000_000, true, 300))[3]!.status, "missed");
  const small = evaluateTargets([], chunked(100_000))[3]!;
  assert.equal(small.status, "not measured");
  assert.match(small.measured, /^only at 100k, 3 chunks/);
});

Deno.test("chunkedMarkdown: one row per worker count, the stages after it and the comparison", () => {
  const md = chunkedMarkdown(chunked(3_000_000)).split("\n");
  assert.ok(md.includes("| 1 | 3 | 250,000 | 500,003 | 9.50 / 10.50 | 110 / 120 | 30.0 | 1.00× | 1.5 |"));
  assert.ok(md.includes("| 2 | 3 | 250,000 | 500,003 | 10.50 / 11.50 | 110 / 120 | 20.0 | 1.50× | 2.5 |"));
  assert.ok(md.includes("- Speed-up of 2 workers over 1: 1.50×."));
  assert.ok(md.includes("- Transform and load of the chunked run: 25.0 s and 35.0 s, peak 200 and 240 MiB."));
  assert.ok(
    md.includes(
      "- Unchunked full run over the same source: ingest 40.0 s (peak 300 MiB), transform 25.0 s, load 35.0 s.",
    ),
  );
  assert.ok(
    md.includes("- Equality: every one of the 2 warehouse tables equal (row count and md5 of the rows)."),
  );
  const diff = chunkedMarkdown(chunked(3_000_000, false));
  assert.match(diff, /- Equality: DIFFERENT: fact_sales_order\./);
});

Deno.test("chunkedMarkdown: a scenario taken from an earlier result file names its commit and end first", () => {
  const c = {
    ...chunked(3_000_000),
    from: {
      commit: "75d161f84e242748ee6562f891bfcbd8bf40594c",
      dirty: false,
      finishedAt: "2026-12-02T15:03:16.627Z",
    },
  };
  const md = chunkedMarkdown(c).split("\n");
  assert.equal(
    md[0],
    "Measured by an earlier run of the benchmark (`--chunked-from`), on commit 75d161f, finished 2026-12-02T15:03:16.627Z.",
  );
  assert.equal(md[1], "");
  assert.match(md[2]!, /^Chunked first ingest at 3,000,000 orders/);
});
