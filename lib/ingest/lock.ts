/**
 * The ingest lock: overlapping capture and repair runs are serialised by a PostgreSQL session advisory lock on
 * ToteSys (it writes nothing and is released when the connection drops, so a killed run cannot leave it behind).
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";

/** Advisory lock key that serialises ingest runs (any constant 64-bit number; "totes-ingest"). */
export const INGEST_LOCK_KEY = 7_461_726_573_001n;

/**
 * Runs `fn` on one reserved ToteSys connection holding the ingest advisory lock. Capture and repair runs share it.
 *
 * @returns `fn`'s result, or null when another run holds the lock (then `fn` is not called).
 */
export async function withIngestLock<T>(sql: Sql, fn: (conn: Sql) => Promise<T>): Promise<T | null> {
  const conn = await sql.reserve();
  try {
    const [lock] = await conn`SELECT pg_try_advisory_lock(${INGEST_LOCK_KEY.toString()}::bigint) AS locked`;
    if (!lock?.locked) return null;
    try {
      return await fn(conn);
    } finally {
      await conn`SELECT pg_advisory_unlock(${INGEST_LOCK_KEY.toString()}::bigint)`.catch(() => {});
    }
  } finally {
    conn.release();
  }
}
