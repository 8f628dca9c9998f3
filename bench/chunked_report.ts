/**
 * The chunked first run's results (`deno task bench --chunked N`, bench/chunked.ts): their shape, summary and
 * Markdown table. Pure: no I/O.
 *
 * @module
 */
import { median, type PipelineSample, seconds, type StageSample } from "./report.ts";

/** One chunk as the chunk runner reported it (`deno task chunks run`: one child process per chunk). */
export interface ChunkFigure {
  table: string;
  index: number;
  rows: number;
  /** The chunk's own seconds, measured inside its process (Deno start-up and module loading excluded). */
  seconds: number;
  /** The chunk process's peak RSS (`VmHWM` read by the process itself at the end), MiB. */
  peakRssMiB: number | null;
}

/** One chunked first ingest: `deno task chunks run --workers N` on fresh buckets. */
export interface ChunkedRun {
  workers: number;
  runId: string;
  /** Wall time of the whole `chunks run` process: plan, every chunk, commit. */
  wallMs: number;
  /** 1-minute load average when it started. */
  load1: number;
  chunks: ChunkFigure[];
}

/** A warehouse table compared: `count:md5` of the chunked and the unchunked warehouse. */
export interface TableDigest {
  chunked: string;
  unchunked: string;
}

/** The chunked scenario at one scale. */
export interface ChunkedScenario {
  orders: number;
  /** Keys per chunk. */
  chunkKeys: number;
  /** Time to seed the source (the 10M extrapolation starts from it). */
  seedMs: number;
  sourceRows: Record<string, number>;
  /** The chunked ingest with 1 worker, then with 2. */
  runs: ChunkedRun[];
  /** Transform and load of the last chunked run, each its own process. */
  transformLoad: { transform: StageSample; load: StageSample } | null;
  /** The unchunked full run over the same source, for the comparison. */
  unchunked: PipelineSample | null;
  /** Every warehouse table compared, or null when not compared. */
  equality: { equal: boolean; tables: Record<string, TableDigest> } | null;
  /** Set when taken from an earlier result file (`--chunked-from`): the code it measured and when it ended. */
  from?: { commit: string; dirty: boolean; finishedAt: string };
}

/** Figures of the chunked scenario over its chunks (those of the last run with the most workers). */
export interface ChunkedSummary {
  chunks: number;
  medianSeconds: number | null;
  maxSeconds: number | null;
  medianRssMiB: number | null;
  maxRssMiB: number | null;
  /** Wall time of 1 worker divided by that of 2, or null when either did not run. */
  speedUp: number | null;
}

/** Summarises the chunks of every run (all runs' chunks together) and the speed-up of 2 workers over 1. */
export function chunkedSummary(c: ChunkedScenario): ChunkedSummary {
  const chunks = c.runs.flatMap((r) => r.chunks);
  const secs = chunks.map((x) => x.seconds);
  const rss = chunks.map((x) => x.peakRssMiB).filter((x): x is number => x !== null);
  const one = c.runs.find((r) => r.workers === 1);
  const two = c.runs.find((r) => r.workers === 2);
  return {
    chunks: c.runs[0]?.chunks.length ?? 0,
    medianSeconds: secs.length > 0 ? median(secs) : null,
    maxSeconds: secs.length > 0 ? Math.max(...secs) : null,
    medianRssMiB: rss.length > 0 ? median(rss) : null,
    maxRssMiB: rss.length > 0 ? Math.max(...rss) : null,
    speedUp: one && two ? one.wallMs / two.wallMs : null,
  };
}

const group = (n: number) => Math.round(n).toLocaleString("en-GB");
const orQ = (v: number | null, f: (x: number) => string) => (v === null ? "–" : f(v));

/** The lines naming the earlier run a scenario was taken from (`--chunked-from`), if it was. */
function fromLines(c: ChunkedScenario): string[] {
  if (!c.from) return [];
  const dirty = c.from.dirty ? " with uncommitted changes" : "";
  return [
    `Measured by an earlier run of the benchmark (\`--chunked-from\`), on commit ${
      c.from.commit.slice(0, 7)
    }${dirty}, finished ${c.from.finishedAt}.`,
    "",
  ];
}

/** The chunked scenario as Markdown: a table of the runs, then the stages after it and the comparison. */
export function chunkedMarkdown(c: ChunkedScenario): string {
  const s = chunkedSummary(c);
  const one = c.runs.find((r) => r.workers === 1);
  const rows = c.runs.map((r) => {
    const secs = r.chunks.map((x) => x.seconds);
    const rss = r.chunks.map((x) => x.peakRssMiB).filter((x): x is number => x !== null);
    const cell = (v: number[], f: (x: number) => string) =>
      v.length === 0 ? "–" : `${f(median(v))} / ${f(Math.max(...v))}`;
    return `| ${r.workers} | ${r.chunks.length} | ${group(c.chunkKeys)} | ${
      group(r.chunks.reduce((a, x) => a + x.rows, 0))
    } | ${cell(secs, (x) => x.toFixed(2))} | ${cell(rss, group)} | ${seconds(r.wallMs)} | ${
      one && r !== one ? `${(one.wallMs / r.wallMs).toFixed(2)}×` : "1.00×"
    } | ${r.load1.toFixed(1)} |`;
  });
  const tl = c.transformLoad;
  const u = c.unchunked;
  const eq = c.equality;
  const differing = eq ? Object.entries(eq.tables).filter(([, d]) => d.chunked !== d.unchunked) : [];
  return [
    ...fromLines(c),
    `Chunked first ingest at ${group(c.orders)} orders (seeded in ${
      seconds(c.seedMs)
    } s) by the chunk runner,`,
    `\`deno task chunks run --workers N --chunk-keys ${c.chunkKeys}\`, on fresh buckets each time. Each chunk is a`,
    "child process of the runner; its seconds and peak RSS (`VmHWM`) are the figures that process prints (its own",
    'time, without Deno\'s start-up); "wall" is the whole `chunks run` process (plan, chunks, commit).',
    "",
    "| workers | chunks | keys per chunk | rows | per-chunk s (median / max) | per-chunk peak RSS MiB (median / max) | wall s | speed-up | load avg |",
    "| ------: | -----: | -------------: | ---: | -------------------------- | ------------------------------------- | -----: | -------: | -------: |",
    ...rows,
    "",
    `- Speed-up of 2 workers over 1: ${orQ(s.speedUp, (x) => `${x.toFixed(2)}×`)}.`,
    `- Transform and load of the chunked run: ${
      tl
        ? `${seconds(tl.transform.wallMs)} s and ${seconds(tl.load.wallMs)} s, peak ${
          orQ(tl.transform.peakRssKiB, (x) => group(x / 1024))
        } and ${orQ(tl.load.peakRssKiB, (x) => group(x / 1024))} MiB`
        : "not run"
    }.`,
    `- Unchunked full run over the same source: ${
      u
        ? `ingest ${seconds(u.stages.ingest.wallMs)} s (peak ${
          orQ(u.stages.ingest.peakRssKiB, (x) => group(x / 1024))
        } MiB), transform ${seconds(u.stages.transform.wallMs)} s, load ${seconds(u.stages.load.wallMs)} s`
        : "not run"
    }.`,
    `- Equality: ${
      eq === null
        ? "not compared"
        : eq.equal
        ? `every one of the ${
          Object.keys(eq.tables).length
        } warehouse tables equal (row count and md5 of the rows)`
        : `DIFFERENT: ${differing.map(([t]) => t).join(", ")}`
    }.`,
  ].join("\n");
}
