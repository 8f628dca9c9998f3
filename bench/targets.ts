/**
 * The benchmark's targets (issue 15), evaluated from the measured scales and the chunked scenario.
 *
 * @module
 */
import {
  floorSummary,
  MEMORY_LIMIT_KIB,
  noForeignKeysSummary,
  pipelineSummary,
  rssCell,
  scaleLabel,
  type ScaleResult,
  scanFloorSummary,
  scenarioLabel,
  type ScenarioName,
  seconds,
  STAGES,
  stageSummary,
  type TargetResult,
} from "./report.ts";
import { type ChunkedScenario, chunkedSummary } from "./chunked_report.ts";

/** The stages' own time allowed for an incremental run of 100 changes at 1M orders (issue 15). */
export const INCREMENTAL_OWN_LIMIT_MS = 600;
/** The full run at 1M orders may take this many times the COPY floor without foreign keys (issue 15). */
export const FULL_FLOOR_FACTOR = 3;
/** The smallest scale at which the chunked first run counts for its target (10M, or 3M when 10M does not fit). */
export const CHUNKED_MIN_ORDERS = 3_000_000;

function findScenario(scales: readonly ScaleResult[], orders: number, name: ScenarioName) {
  const scale = scales.find((s) => s.orders === orders);
  const sc = scale?.scenarios.find((s) => s.scenario === name && s.samples.length > 0);
  return scale && sc ? { scale, sc } : undefined;
}

/**
 * Evaluates issue 15's targets (wall times of the stage processes, medians of the samples): the full run at 1M
 * within 3× the COPY floor without foreign keys; peak RSS of every stage at most 256 MiB at 1M; the stages' own
 * time of an incremental run with 100 changes at 1M at most 0.6 s; a chunked first run at 3M or more whose
 * warehouse equals the unchunked one, with every chunk within the memory limit.
 */
export function evaluateTargets(
  scales: readonly ScaleResult[],
  chunked?: ChunkedScenario | null,
): TargetResult[] {
  return [
    fullTarget(scales),
    memoryTarget(scales),
    incrementalTarget(scales),
    chunkedTarget(chunked ?? null),
  ];
}

const FULL = () =>
  `Full run at 1M orders: end to end within ${FULL_FLOOR_FACTOR}× the COPY floor without foreign keys`;

/** Full run at 1M orders against the COPY floor without foreign keys (the ratio to the floor with them too). */
function fullTarget(scales: readonly ScaleResult[]): TargetResult {
  const full = findScenario(scales, 1_000_000, "full");
  if (!full) return { target: FULL(), status: "not measured", measured: "1M not run" };
  const floor = full.scale.floor;
  if (floor.noForeignKeysMs.length === 0) {
    return { target: FULL(), status: "not measured", measured: "floor not measured (--no-floor)" };
  }
  const p = pipelineSummary(full.sc);
  const nofk = noForeignKeysSummary(floor).wallMs;
  const r = p.wallMs / nofk;
  const withFk = floor.samplesMs.length > 0
    ? `; ${(p.wallMs / floorSummary(floor).wallMs).toFixed(2)}× the floor with foreign keys (${
      seconds(floorSummary(floor).wallMs)
    } s)`
    : "";
  return {
    target: FULL(),
    status: r <= FULL_FLOOR_FACTOR ? "met" : "missed",
    measured: `${seconds(p.wallMs)} s vs floor without foreign keys ${seconds(nofk)} s: ${
      r.toFixed(2)
    }×${withFk}`,
  };
}

const MEMORY = () => `Peak RSS of every stage at most ${MEMORY_LIMIT_KIB / 1024} MiB at 1M orders`;

/** Peak memory of every stage process at 1M orders, every scenario. */
function memoryTarget(scales: readonly ScaleResult[]): TargetResult {
  const scale1m = scales.find((s) => s.orders === 1_000_000);
  if (!scale1m || !scale1m.scenarios.some((s) => s.samples.length > 0)) {
    return { target: MEMORY(), status: "not measured", measured: "1M not run" };
  }
  let worst: { kib: number; where: string } | null = null;
  for (const sc of scale1m.scenarios) {
    if (sc.samples.length === 0) continue;
    for (const st of STAGES) {
      const kib = stageSummary(sc, st).peakRssKiB;
      if (kib !== null && (worst === null || kib > worst.kib)) {
        worst = { kib, where: `${st}, ${scenarioLabel(sc)}` };
      }
    }
  }
  return {
    target: MEMORY(),
    status: worst === null ? "not measured" : worst.kib <= MEMORY_LIMIT_KIB ? "met" : "missed",
    measured: worst === null ? "RSS unknown" : `largest ${rssCell(worst.kib)} MiB (${worst.where})`,
  };
}

const INCREMENTAL = () =>
  `Incremental run (100 changes) at 1M orders: the stages' own time at most ${
    seconds(INCREMENTAL_OWN_LIMIT_MS)
  } s`;

/** Incremental run (100 changes) at 1M orders: the three stages' own time added (median of the samples). */
function incrementalTarget(scales: readonly ScaleResult[]): TargetResult {
  const inc1m = findScenario(scales, 1_000_000, "incremental_100");
  if (!inc1m) return { target: INCREMENTAL(), status: "not measured", measured: "1M not run" };
  const p = pipelineSummary(inc1m.sc);
  if (p.stageMs === null) {
    return { target: INCREMENTAL(), status: "not measured", measured: "a stage logged no own time" };
  }
  return {
    target: INCREMENTAL(),
    status: p.stageMs <= INCREMENTAL_OWN_LIMIT_MS ? "met" : "missed",
    measured: `own time ${seconds(p.stageMs)} s (median of ${p.n}); processes' wall time ${
      seconds(p.wallMs)
    } s${scanFloorNote(inc1m.scale)}`,
  };
}

/** The scan floor at the scale, when measured: what an exact incremental ingest cannot go below there. */
function scanFloorNote(scale: ScaleResult): string {
  if ((scale.floor.scanMs ?? []).length === 0) return "";
  return `; scan floor (count(*) of every table, two at once) ${
    seconds(scanFloorSummary(scale.floor).wallMs)
  } s`;
}

const CHUNKED = () =>
  `Chunked first run at 10M (or ${
    scaleLabel(CHUNKED_MIN_ORDERS)
  }) orders: warehouse equal to the unchunked one, every chunk at most ${MEMORY_LIMIT_KIB / 1024} MiB`;

/** The chunked first run: its scale, the equality of the warehouses, the chunks' memory and the speed-up. */
function chunkedTarget(c: ChunkedScenario | null): TargetResult {
  if (c === null) return { target: CHUNKED(), status: "not measured", measured: "not run (--chunked N)" };
  const s = chunkedSummary(c);
  const figures =
    `${scaleLabel(c.orders)}, ${s.chunks} chunks of ${c.chunkKeys.toLocaleString("en-GB")} keys; ` +
    `per chunk max ${s.maxSeconds === null ? "?" : s.maxSeconds.toFixed(1)} s, max ${
      s.maxRssMiB === null ? "?" : s.maxRssMiB
    } MiB; 2 workers ${
      s.speedUp === null ? "not run" : `${s.speedUp.toFixed(2)}× the speed of 1`
    }; warehouse ${c.equality === null ? "not compared" : c.equality.equal ? "equal" : "DIFFERENT"}`;
  if (c.equality === null || s.maxRssMiB === null) {
    return { target: CHUNKED(), status: "not measured", measured: figures };
  }
  if (!c.equality.equal || s.maxRssMiB > MEMORY_LIMIT_KIB / 1024) {
    return { target: CHUNKED(), status: "missed", measured: figures };
  }
  if (c.orders < CHUNKED_MIN_ORDERS) {
    return { target: CHUNKED(), status: "not measured", measured: `only at ${figures}` };
  }
  return { target: CHUNKED(), status: "met", measured: figures };
}

/** The targets as a Markdown table. */
export function targetsTable(targets: readonly TargetResult[]): string {
  return [
    "| target | status | measured |",
    "| ------ | ------ | -------- |",
    ...targets.map((t) => `| ${t.target} | ${t.status === "met" ? "**met**" : t.status} | ${t.measured} |`),
  ].join("\n");
}
