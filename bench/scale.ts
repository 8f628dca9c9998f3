/**
 * One scale of the benchmark: a fresh ToteSys seeded with that many sales orders, the COPY floor, the full first
 * runs and the incremental runs after simulated activity.
 *
 * @module
 */
import { connect, type Sql } from "../lib/io/pg.ts";
import {
  createTotesysSchema,
  seedDatabase,
  simulateActivity,
  TOTESYS_COLUMNS,
} from "../tools/totesys/mod.ts";
import { copyFloor, scanFloor } from "./floor.ts";
import { loadAverage } from "./measure.ts";
import { createDatabase, dropDatabase } from "./resources.ts";
import { scaleLabel, type ScaleResult, type ScenarioResult, seconds, totalRows } from "./report.ts";
import { cleanups, freshPipeline, pipelineRun, type Settings, type Target } from "./pipeline.ts";
import { fmt, progress } from "./log.ts";

const SOURCE_TABLES = Object.keys(TOTESYS_COLUMNS);
const INCREMENTAL_CHANGES = [100, 10_000];

/** What a scale is run with. */
export interface ScaleOptions {
  repeat: number;
  fullRepeat: number;
  seed: number;
  floor: boolean;
}

/** One sample of the COPY floor into a fresh database with the ToteSys DDL (with or without its foreign keys). */
async function floorSample(
  label: string,
  sourceUrl: string,
  stamp: string,
  i: number,
  foreignKeys: boolean,
): Promise<number> {
  const name = `bench_${label.toLowerCase()}_floor_${stamp}_${i}${foreignKeys ? "" : "_nofk"}`;
  const url = await createDatabase(name);
  try {
    const sql = connect(url, { max: 1, applicationName: "totes-bench" });
    try {
      await createTotesysSchema(sql);
      if (!foreignKeys) {
        const fks =
          await sql`SELECT conrelid::regclass::text AS t, conname FROM pg_constraint WHERE contype = 'f'`;
        for (const f of fks) await sql.unsafe(`ALTER TABLE ${f.t} DROP CONSTRAINT "${f.conname}"`);
      }
    } finally {
      await sql.end();
    }
    const s = await copyFloor(sourceUrl, url, SOURCE_TABLES);
    const big = Object.entries(s.tables).sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([t, ms]) => `${t} ${seconds(ms)} s`).join(", ");
    progress(
      `${label} floor ${i + 1}${foreignKeys ? "" : " without foreign keys"}: ${seconds(s.ms)} s (${big})`,
    );
    return Math.round(s.ms);
  } finally {
    await dropDatabase(name);
  }
}

/** Measures one scale. */
export async function runScale(
  orders: number,
  options: ScaleOptions,
  settings: Settings,
  stamp: string,
): Promise<ScaleResult> {
  const label = scaleLabel(orders);
  const sourceDb = `bench_${label.toLowerCase()}_src_${stamp}`;
  const sourceUrl = await createDatabase(sourceDb);
  cleanups.push(() => dropDatabase(sourceDb));
  const src: Sql = connect(sourceUrl, { max: 2, applicationName: "totes-bench" });
  try {
    const { seedMs, sourceRows, rows } = await seedSource(src, label, orders, options.seed, sourceDb);
    const floor = {
      rows,
      samplesMs: [] as number[],
      noForeignKeysMs: [] as number[],
      load1: [] as number[],
      scanMs: [] as number[],
    };
    const floorRun = async () => {
      floor.load1.push(loadAverage());
      floor.samplesMs.push(await floorSample(label, sourceUrl, stamp, floor.samplesMs.length, true));
      floor.noForeignKeysMs.push(
        await floorSample(label, sourceUrl, stamp, floor.noForeignKeysMs.length, false),
      );
    };
    const floorRuns = options.floor ? options.repeat : 0;
    const before = Math.ceil(floorRuns / 2);
    for (let i = 0; i < before; i++) await floorRun();
    const { full, target } = await fullRuns(label, sourceUrl, stamp, rows, options.fullRepeat, settings);
    for (let i = before; i < floorRuns; i++) await floorRun();
    const scenarios: ScenarioResult[] = [full];
    for (const changes of INCREMENTAL_CHANGES) {
      scenarios.push(await incrementalRuns(src, target, label, changes, options.repeat, settings));
    }
    for (let i = 0; i < options.repeat; i++) {
      floor.scanMs.push(Math.round(await scanFloor(sourceUrl, SOURCE_TABLES)));
      progress(`${label} scan floor ${i + 1}/${options.repeat}: ${seconds(floor.scanMs.at(-1)!)} s`);
    }
    return { orders, sourceRows, seedMs, floor, scenarios };
  } finally {
    await src.end();
  }
}

/** Seeds the fresh ToteSys with `orders` sales orders; returns how long it took and its rows per table. */
export async function seedSource(src: Sql, label: string, orders: number, seed: number, sourceDb: string) {
  progress(`${label}: seeding ${fmt(orders)} sales orders into ${sourceDb}`);
  let last = 0;
  const t0 = performance.now();
  await seedDatabase(src, {
    orders,
    seed,
    createSchema: true,
    onProgress: (p) => {
      if (p.elapsedMs - last < 5000) return;
      last = p.elapsedMs;
      progress(`${label}: seeded ${fmt(p.rows)} / ${fmt(p.totalRows)} rows (${p.table})`);
    },
  });
  const seedMs = Math.round(performance.now() - t0);
  const sourceRows: Record<string, number> = {};
  for (const table of SOURCE_TABLES) {
    const [row] = await src.unsafe(`SELECT count(*) AS n FROM "${table}"`);
    sourceRows[table] = Number(row!.n);
  }
  const rows = totalRows(sourceRows);
  progress(`${label}: ${fmt(rows)} source rows seeded in ${seconds(seedMs)} s`);
  return { seedMs, sourceRows, rows };
}

/** The full first runs, each into a fresh warehouse and buckets; returns them and the last pipeline. */
async function fullRuns(
  label: string,
  sourceUrl: string,
  stamp: string,
  rows: number,
  fullRepeat: number,
  settings: Settings,
): Promise<{ full: ScenarioResult; target: Target }> {
  const full: ScenarioResult = { scenario: "full", changes: null, samples: [] };
  let target: Target | undefined;
  for (let i = 0; i < fullRepeat; i++) {
    target = await freshPipeline(label, sourceUrl, stamp, i);
    progress(`${label} full run ${i + 1}/${fullRepeat} (${fmt(rows)} rows)`);
    const sample = await pipelineRun(target, settings, `full${i + 1}`);
    if (sample.stages.ingest.rows !== rows) {
      progress(`WARNING: ingest read ${fmt(sample.stages.ingest.rows)} rows, the source has ${fmt(rows)}`);
    }
    full.samples.push(sample);
  }
  return { full, target: target! };
}

/** `repeat` incremental runs, each after simulated activity of `changes` changes. */
async function incrementalRuns(
  src: Sql,
  target: Target,
  label: string,
  changes: number,
  repeat: number,
  settings: Settings,
): Promise<ScenarioResult> {
  const sc: ScenarioResult = { scenario: `incremental_${changes}`, changes, samples: [] };
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const summary = await simulateActivity(src, { changes, seed: changes + i });
    progress(
      `${label} +${fmt(changes)} changes ${i + 1}/${repeat}: simulate wrote ${fmt(summary.total)} rows in ${
        seconds(performance.now() - t)
      } s`,
    );
    sc.samples.push(await pipelineRun(target, settings, `inc${changes}-${i + 1}`));
  }
  return sc;
}
