/**
 * The warehouse schema as versioned migrations (issue 5): `deno task migrate`, and applied by the load when the
 * database is behind. Migrations run in one transaction under an advisory lock, so concurrent loads apply them
 * once.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import { commentStatements } from "../contract/dictionary.ts";
import { MIGRATIONS } from "./migrations/_index.ts";

/** Every migration, in order (generated from lib/load/migrations/*.sql by `deno task indexes`). */
export { MIGRATIONS };

/** Advisory lock key serialising migrations and loads on the warehouse ("totes-load"). */
export const LOAD_LOCK_KEY = 7_461_726_573_002n;

/**
 * Applies the migrations the warehouse lacks, then, when it applied any, the contract's `COMMENT` on every table,
 * view and column (lib/contract/dictionary.ts).
 *
 * @param migrations the migrations to apply (default {@link MIGRATIONS}).
 * @returns the versions applied now (empty when up to date).
 * @throws the server's error (the transaction rolls back; nothing is half-applied).
 */
export async function migrate(sql: Sql, migrations: typeof MIGRATIONS = MIGRATIONS): Promise<number[]> {
  return await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOAD_LOCK_KEY.toString()}::bigint)`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set(
      (await tx<{ version: number }[]>`SELECT version FROM schema_migrations`).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      applied.push(m.version);
    }
    // The descriptions live in the contract: after any migration, every relation and column gets its COMMENT
    // from there, so a migration never repeats a description (README "Extending").
    if (applied.length > 0) await tx.unsafe(commentStatements().join("\n"));
    return applied;
  }) as number[];
}
