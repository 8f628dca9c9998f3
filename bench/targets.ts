/**
 * The benchmark's targets (issue 6), evaluated from the measured scales.
 *
 * @module
 */
import {
  floorSummary,
  MEMORY_LIMIT_KIB,
  noForeignKeysSummary,
  pipelineSummary,
  rssCell,
  type ScaleResult,
  scenarioLabel,
  type ScenarioName,
  seconds,
  STAGES,
  stageSummary,
  type TargetResult,
} from "./report.ts";

function findScenario(scales: readonly ScaleResult[], orders: number, name: ScenarioName) {
  const scale = scales.find((s) => s.orders === orders);
  const sc = scale?.scenarios.find((s) => s.scenario === name && s.samples.length > 0);
  return scale && sc ? { scale, sc } : undefined;
}

/**
 * Evaluates the issue-6 targets on the results (wall times of the stage processes, medians of the samples):
 * full run at 1M within 3× the floor; incremental with 100 changes at 1M under 2 s and within 1.5× the same at
 * 10k; peak RSS of every stage process at 1M under 512 MiB.
 */
export function evaluateTargets(scales: readonly ScaleResult[]): TargetResult[] {
  return [fullTarget(scales), incrementalTarget(scales), scalingTarget(scales), memoryTarget(scales)];
}

/** Full run at 1M orders against the COPY floor. */
function fullTarget(scales: readonly ScaleResult[]): TargetResult {
  const full = findScenario(scales, 1_000_000, "full");
  if (full && full.scale.floor.samplesMs.length > 0) {
    const p = pipelineSummary(full.sc);
    const f = floorSummary(full.scale.floor);
    const r = p.wallMs / f.wallMs;
    const nofk = full.scale.floor.noForeignKeysMs.length > 0
      ? `; ${
        (p.wallMs / noForeignKeysSummary(full.scale.floor).wallMs).toFixed(2)
      }× the floor without foreign keys`
      : "";
    return ({
      target: "Full run at 1M orders: end to end within 3× the COPY floor",
      status: r <= 3 ? "met" : "missed",
      measured: `${seconds(p.wallMs)} s vs floor ${seconds(f.wallMs)} s: ${r.toFixed(2)}×${nofk}`,
    });
  } else {
    return ({
      target: "Full run at 1M orders: end to end within 3× the COPY floor",
      status: "not measured",
      measured: full ? "floor not measured (--no-floor)" : "1M not run",
    });
  }
}

/** Incremental run (100 changes) at 1M orders, absolute. */
function incrementalTarget(scales: readonly ScaleResult[]): TargetResult {
  const inc1m = findScenario(scales, 1_000_000, "incremental_100");
  if (inc1m) {
    const p = pipelineSummary(inc1m.sc);
    return ({
      target: "Incremental run (100 changes) at 1M orders: under 2 s for the three stages together",
      status: p.wallMs < 2000 ? "met" : "missed",
      measured: `${seconds(p.wallMs)} s (processes' wall time; the stages' own time ${
        p.stageMs === null ? "unknown" : `${seconds(p.stageMs)} s`
      })`,
    });
  } else {
    return ({
      target: "Incremental run (100 changes) at 1M orders: under 2 s for the three stages together",
      status: "not measured",
      measured: "1M not run",
    });
  }
}

/** Incremental run at 1M orders against the same at 10k. */
function scalingTarget(scales: readonly ScaleResult[]): TargetResult {
  const inc1m = findScenario(scales, 1_000_000, "incremental_100");
  const inc10k = findScenario(scales, 10_000, "incremental_100");
  if (inc1m && inc10k) {
    const a = pipelineSummary(inc1m.sc);
    const b = pipelineSummary(inc10k.sc);
    const r = a.wallMs / b.wallMs;
    const own = a.stageMs !== null && b.stageMs !== null
      ? ` (own time ${(a.stageMs / b.stageMs).toFixed(2)}×)`
      : "";
    return ({
      target: "Incremental run (100 changes) at 1M orders within 1.5× the same at 10k",
      status: r <= 1.5 ? "met" : "missed",
      measured: `${seconds(a.wallMs)} s vs ${seconds(b.wallMs)} s: ${r.toFixed(2)}×${own}`,
    });
  } else {
    return ({
      target: "Incremental run (100 changes) at 1M orders within 1.5× the same at 10k",
      status: "not measured",
      measured: "needs both 10k and 1M",
    });
  }
}

/** Peak memory of every stage at 1M orders. */
function memoryTarget(scales: readonly ScaleResult[]): TargetResult {
  const scale1m = scales.find((s) => s.orders === 1_000_000);
  if (scale1m && scale1m.scenarios.some((s) => s.samples.length > 0)) {
    let worst: { kib: number; where: string } | null = null;
    for (const sc of scale1m.scenarios) {
      for (const st of STAGES) {
        const kib = stageSummary(sc, st).peakRssKiB;
        if (kib !== null && (worst === null || kib > worst.kib)) {
          worst = { kib, where: `${st}, ${scenarioLabel(sc)}` };
        }
      }
    }
    return ({
      target: "Peak memory of every stage under 512 MB at 1M orders",
      status: worst === null ? "not measured" : worst.kib < MEMORY_LIMIT_KIB ? "met" : "missed",
      measured: worst === null ? "RSS unknown" : `largest ${rssCell(worst.kib)} MiB (${worst.where})`,
    });
  } else {
    return ({
      target: "Peak memory of every stage under 512 MB at 1M orders",
      status: "not measured",
      measured: "1M not run",
    });
  }
}

/** The targets as a Markdown table. */
export function targetsTable(targets: readonly TargetResult[]): string {
  return [
    "| target | status | measured |",
    "| ------ | ------ | -------- |",
    ...targets.map((t) => `| ${t.target} | ${t.status === "met" ? "**met**" : t.status} | ${t.measured} |`),
  ].join("\n");
}
