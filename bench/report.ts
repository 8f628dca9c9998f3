/**
 * Benchmark results: their shape (written as docs/benchmarks.json), the summary figures (medians, rows/s, ratios
 * to the COPY floor), the issue-15 targets, and the Markdown report (docs/benchmarks.md). Pure: no I/O.
 *
 * @module
 */
import type { ChunkedScenario } from "./chunked_report.ts";

/** The three pipeline stages, each run as its own process. */
export const STAGES = ["ingest", "transform", "load"] as const;

/** A pipeline stage. */
export type StageName = typeof STAGES[number];

/** One stage process, measured. */
export interface StageSample {
  /** Wall time of the whole process, spawn to exit (Deno start-up, connections and teardown included). */
  wallMs: number;
  /** The stage's own time from its JSON log (`ms` of "Run committed" / "Run loaded"), or null when absent. */
  stageMs: number | null;
  /** Rows the stage moved: source rows ingested, warehouse rows written to Parquet, rows staged by the load. */
  rows: number;
  /** Peak resident set of the process in KiB (`/usr/bin/time -f %M`, or VmHWM polled), or null if unknown. */
  peakRssKiB: number | null;
}

/** One run of the three stages. */
export interface PipelineSample {
  /** The ingest run id. */
  runId: string;
  /** 1-minute load average of the machine when the run started (noise indicator). */
  load1: number;
  stages: Record<StageName, StageSample>;
}

/** Scenario names: a full first run, or an incremental run after `simulate --changes N`. */
export type ScenarioName = "full" | `incremental_${number}`;

/** The samples of one scenario at one scale. */
export interface ScenarioResult {
  scenario: ScenarioName;
  /** Rows changed by `simulate` before each sample (null for the full run). */
  changes: number | null;
  samples: PipelineSample[];
}

/** The raw COPY floor at one scale: every source table, `COPY TO STDOUT` piped into `COPY FROM STDIN`. */
export interface FloorResult {
  /** Rows moved (all tables). */
  rows: number;
  /** Wall time of each sample, in ms: scratch tables with the source's DDL (keys and foreign keys). */
  samplesMs: number[];
  /**
   * Wall time of each sample into the same tables without their foreign keys (primary keys kept): how much of the
   * floor is PostgreSQL checking foreign keys row by row. Informational; ratios use {@link samplesMs}.
   */
  noForeignKeysMs: number[];
  /** 1-minute load average when each sample started. */
  load1: number[];
  /**
   * Wall time of each scan-floor sample, in ms (bench/floor.ts `scanFloor`: `count(*)` of every source table, two
   * at once): the least an exact incremental ingest reads. Absent in results written before it was measured.
   */
  scanMs?: number[];
}

/** Everything measured at one scale. */
export interface ScaleResult {
  /** Sales orders generated. */
  orders: number;
  /** Rows per ToteSys table after seeding. */
  sourceRows: Record<string, number>;
  /** Time to generate and load the source database (not a benchmark figure). */
  seedMs: number;
  floor: FloorResult;
  scenarios: ScenarioResult[];
}

/** The machine and software the benchmark ran on. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs. */
  cores: number;
  memoryMiB: number;
  os: string;
  /** `SELECT version()` of the PostgreSQL server used for ToteSys, the warehouse and the floor. */
  postgres: string;
  /** Where the PostgreSQL server is (host:port, never credentials). */
  postgresHost: string;
  /** The S3 endpoint (host:port or "AWS") and emulator version when known. */
  s3: string;
  deno: string;
  v8: string;
  /** ISO date and time the benchmark started (UTC). */
  date: string;
}

/** The whole result file. */
export interface BenchResult {
  version: 1;
  machine: MachineInfo;
  startedAt: string;
  finishedAt: string;
  /** The options the run used. */
  options: { scales: number[]; repeat: number; fullRepeat: number; profiled: boolean };
  /** The code measured: its commit, whether the files had local changes, whether a snapshot of it ran. */
  code: { commit: string; dirty: boolean; snapshot: boolean };
  scales: ScaleResult[];
  /** The chunked first run (`--chunked N`), when it ran. */
  chunked?: ChunkedScenario | null;
  targets: TargetResult[];
}

/** One target of issue 15, evaluated. */
export interface TargetResult {
  target: string;
  /** `met`, `missed`, or `not measured` (the scales it needs were not run). */
  status: "met" | "missed" | "not measured";
  /** The measured figure, in words. */
  measured: string;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Summary of one row of the report: a stage, the whole pipeline, or the floor, over its samples. */
export interface Summary {
  /** Median wall time in ms, and its range. */
  wallMs: number;
  minMs: number;
  maxMs: number;
  n: number;
  /** Rows moved (median over samples). */
  rows: number;
  /** Largest peak RSS of any sample in KiB (the largest stage's, for the whole pipeline). */
  peakRssKiB: number | null;
  /** Median of the stages' own times (sum of the three for the pipeline). */
  stageMs: number | null;
}

function summarise(wall: number[], rows: number[], rss: (number | null)[], own: (number | null)[]): Summary {
  const known = rss.filter((x): x is number => x !== null);
  const ownKnown = own.every((x) => x !== null) && own.length > 0 ? median(own as number[]) : null;
  return {
    wallMs: median(wall),
    minMs: Math.min(...wall),
    maxMs: Math.max(...wall),
    n: wall.length,
    rows: median(rows),
    peakRssKiB: known.length > 0 ? Math.max(...known) : null,
    stageMs: ownKnown,
  };
}

/** Summary of one stage over a scenario's samples. */
export function stageSummary(result: ScenarioResult, stage: StageName): Summary {
  const s = result.samples.map((x) => x.stages[stage]);
  return summarise(
    s.map((x) => x.wallMs),
    s.map((x) => x.rows),
    s.map((x) => x.peakRssKiB),
    s.map((x) => x.stageMs),
  );
}

/**
 * Summary of the whole pipeline over a scenario's samples: per sample, the three stages' wall times added (the
 * medians are taken of those sums), source rows ingested, the largest stage peak RSS.
 */
export function pipelineSummary(result: ScenarioResult): Summary {
  const s = result.samples;
  const own = s.map((x) => {
    const parts = STAGES.map((st) => x.stages[st].stageMs);
    return parts.every((p) => p !== null) ? (parts as number[]).reduce((a, b) => a + b, 0) : null;
  });
  return summarise(
    s.map((x) => STAGES.reduce((a, st) => a + x.stages[st].wallMs, 0)),
    s.map((x) => x.stages.ingest.rows),
    s.map((x) => {
      const known = STAGES.map((st) => x.stages[st].peakRssKiB).filter((v): v is number => v !== null);
      return known.length > 0 ? Math.max(...known) : null;
    }),
    own,
  );
}

/** Summary of the floor's samples. */
export function floorSummary(floor: FloorResult): Summary {
  return summarise(floor.samplesMs, floor.samplesMs.map(() => floor.rows), [], []);
}

/** Summary of the scan floor's samples (`count(*)` of every table, two at once). */
export function scanFloorSummary(floor: FloorResult): Summary {
  const ms = floor.scanMs ?? [];
  return summarise(ms, ms.map(() => floor.rows), [], []);
}

/** Summary of the floor's samples without foreign keys. */
export function noForeignKeysSummary(floor: FloorResult): Summary {
  return summarise(floor.noForeignKeysMs, floor.noForeignKeysMs.map(() => floor.rows), [], []);
}

/** Total of a per-table row count. */
export function totalRows(rows: Record<string, number>): number {
  return Object.values(rows).reduce((a, b) => a + b, 0);
}

const MIB_KIB = 1024;
/** The memory target of issue 15: 256 MiB per stage process. */
export const MEMORY_LIMIT_KIB = 256 * MIB_KIB;

/** A count with thousands separators. */
export const group = (n: number) => Math.round(n).toLocaleString("en-GB");

/** Orders as a short label: 10k, 100k, 1M, 3M. */
export function scaleLabel(orders: number): string {
  if (orders >= 1_000_000 && orders % 1_000_000 === 0) return `${orders / 1_000_000}M`;
  if (orders >= 1_000 && orders % 1_000 === 0) return `${orders / 1_000}k`;
  return group(orders);
}

/** Seconds with precision fitting the size: 0.412, 3.21, 45.3, 312. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 1) return s.toFixed(3);
  if (s < 10) return s.toFixed(2);
  if (s < 100) return s.toFixed(1);
  return s.toFixed(0);
}

/** A scenario as the tables name it. */
export function scenarioLabel(s: ScenarioResult): string {
  return s.changes === null ? "full" : `+${group(s.changes)} changes`;
}

/** Peak RSS in MiB, or `?`. */
export function rssCell(kib: number | null): string {
  return kib === null ? "–" : group(kib / MIB_KIB);
}

export * from "./results_table.ts";
export * from "./targets.ts";
export * from "./chunked_report.ts";
export * from "./markdown.ts";
