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
