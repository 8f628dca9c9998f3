/**
 * The physical floor: the same source tables moved with raw `COPY <table> TO STDOUT` piped into
 * `COPY <table> FROM STDIN` of a scratch database with the same table definitions (keys and foreign keys
 * included), one table at a time, in foreign-key order, through postgres.js streams (no transformation, no
 * parsing, no object store). Nothing a pipeline that reads every row from PostgreSQL and writes every row into
 * PostgreSQL can do is cheaper on the same server.
 *
 * postgres.js 3.4.9 can leave a connection's socket paused after a `COPY TO STDOUT` stream
 * (porsager/postgres#499), so each table gets its own fresh pair of clients, ended afterwards.
 *
 * @module
 */
import { pipeline } from "node:stream/promises";
import { connect } from "../lib/io/pg.ts";

/** Timing of one floor sample. */
export interface FloorSample {
  /** Wall time of all tables, ms (client set-up included, scratch database creation not). */
  ms: number;
  /** Per table: ms. */
  tables: Record<string, number>;
}

/** Identifier quoting for the table names of the contract (plain lower-case names). */
function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected table name "${name}"`);
  return `"${name}"`;
}

/**
 * Copies `tables` (in the given, foreign-key-safe order) from the database at `sourceUrl` into the one at
 * `scratchUrl`, whose tables must exist and be empty.
 *
 * @throws the server's error when a COPY fails.
 */
export async function copyFloor(
  sourceUrl: string,
  scratchUrl: string,
  tables: readonly string[],
): Promise<FloorSample> {
  const perTable: Record<string, number> = {};
  const t0 = performance.now();
  for (const table of tables) {
    const t = performance.now();
    const src = connect(sourceUrl, { max: 1, applicationName: "totes-bench-floor" });
    const dst = connect(scratchUrl, { max: 1, applicationName: "totes-bench-floor" });
    try {
      const readable = await src.unsafe(`COPY ${ident(table)} TO STDOUT`).readable();
      const writable = await dst.unsafe(`COPY ${ident(table)} FROM STDIN`).writable();
      await pipeline(readable, writable);
    } finally {
      await src.end({ timeout: 0 });
      await dst.end();
    }
    perTable[table] = performance.now() - t;
  }
  return { ms: performance.now() - t0, tables: perTable };
}

/**
 * The scan floor of an incremental run: `SELECT count(*)` of every table in `tables`, two tables at once on two
 * connections (as the ingest scans them), each connection in a `REPEATABLE READ` transaction. An exact capture
 * that does not trust `last_updated` must visit every row of every table (its `xmin` and its presence), so an
 * incremental ingest cannot be cheaper than this on the same server, however few the changes.
 *
 * @returns wall time in ms (connections opened before the clock starts).
 * @throws the server's error when a query fails.
 */
export async function scanFloor(sourceUrl: string, tables: readonly string[]): Promise<number> {
  const conns = [0, 1].map(() => connect(sourceUrl, { max: 1, applicationName: "totes-bench-scan-floor" }));
  try {
    for (const c of conns) await c`SELECT 1`;
    const queue = [...tables];
    const t0 = performance.now();
    await Promise.all(conns.map(async (c) => {
      await c.begin("ISOLATION LEVEL REPEATABLE READ READ ONLY", async (tx) => {
        for (let table = queue.shift(); table !== undefined; table = queue.shift()) {
          await tx.unsafe(`SELECT count(*) FROM ${ident(table)}`);
        }
      });
    }));
    return performance.now() - t0;
  } finally {
    await Promise.all(conns.map((c) => c.end()));
  }
}
