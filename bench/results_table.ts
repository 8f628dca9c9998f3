/**
 * The benchmark's results table (Markdown): per scale, the floors, then every scenario's stages and pipeline.
 *
 * @module
 */
import {
  floorSummary,
  group,
  noForeignKeysSummary,
  pipelineSummary,
  rssCell,
  scaleLabel,
  type ScaleResult,
  scanFloorSummary,
  scenarioLabel,
  seconds,
  STAGES,
  stageSummary,
  type Summary,
} from "./report.ts";

function wallCell(x: Summary): string {
  if (x.n === 1) return seconds(x.wallMs);
  return `${seconds(x.wallMs)} (${seconds(x.minMs)}–${seconds(x.maxMs)}, n=${x.n})`;
}

function ratio(ms: number, floorMs: number): string {
  return `${(ms / floorMs).toFixed(ms / floorMs < 10 ? 2 : 1)}×`;
}

function rate(rows: number, ms: number): string {
  return ms > 0 ? group(rows / (ms / 1000)) : "–";
}

/**
 * The results table in Markdown: per scale, the floor, then per scenario each stage and the whole pipeline, with
 * wall time (median, range, samples), rows/s, the ratio to the floor's median, peak RSS and the stages' own time.
 */
export function resultsTable(scales: readonly ScaleResult[]): string {
  const lines = [
    "| orders | scenario | step | rows | wall s (median, range, n) | rows/s | × floor | peak RSS MiB | own s |",
    "| -----: | -------- | ---- | ---: | ------------------------- | -----: | ------: | -----------: | ----: |",
  ];
  for (const scale of scales) {
    const floor = scale.floor.samplesMs.length > 0 ? floorSummary(scale.floor) : null;
    const label = scaleLabel(scale.orders);
    if (floor) {
      lines.push(
        `| ${label} | floor | COPY → COPY | ${group(floor.rows)} | ${wallCell(floor)} | ${
          rate(floor.rows, floor.wallMs)
        } | 1.00× | – | – |`,
      );
    }
    if (floor && scale.floor.noForeignKeysMs.length > 0) {
      const nofk = noForeignKeysSummary(scale.floor);
      lines.push(
        `| ${label} | floor | COPY → COPY, no FKs | ${group(nofk.rows)} | ${wallCell(nofk)} | ${
          rate(nofk.rows, nofk.wallMs)
        } | ${ratio(nofk.wallMs, floor.wallMs)} | – | – |`,
      );
    }
    if ((scale.floor.scanMs ?? []).length > 0) {
      const scan = scanFloorSummary(scale.floor);
      lines.push(
        `| ${label} | floor | count(*) scan, 2 at once | ${group(scan.rows)} | ${wallCell(scan)} | ${
          rate(scan.rows, scan.wallMs)
        } | ${floor ? ratio(scan.wallMs, floor.wallMs) : "–"} | – | – |`,
      );
    }
    for (const sc of scale.scenarios) {
      if (sc.samples.length === 0) continue;
      const rows: [string, Summary][] = [
        ...STAGES.map((st) => [st, stageSummary(sc, st)] as [string, Summary]),
        ["**pipeline**", pipelineSummary(sc)],
      ];
      for (const [step, x] of rows) {
        lines.push(
          `| ${label} | ${scenarioLabel(sc)} | ${step} | ${group(x.rows)} | ${wallCell(x)} | ${
            rate(x.rows, x.wallMs)
          } | ${floor ? ratio(x.wallMs, floor.wallMs) : "–"} | ${rssCell(x.peakRssKiB)} | ${
            x.stageMs === null ? "–" : seconds(x.stageMs)
          } |`,
        );
      }
    }
  }
  return lines.join("\n");
}
