/**
 * The ToteSys source schema (the project's own DDL, matching the live system: the ToteSys data notes (docs/design.md section 1)
 * section 4) and a helper to create it.
 *
 * @module
 */
import type { Sql } from "../../lib/io/pg.ts";
import ddl from "./schema.sql" with { type: "text" };

/** The ToteSys DDL text: 2 enums, 11 tables, their keys and foreign keys. */
export const TOTESYS_DDL: string = ddl;

/**
 * Creates the ToteSys schema in the (empty) database behind `sql`.
 *
 * @throws the server's error when a table already exists.
 */
export async function createTotesysSchema(sql: Sql): Promise<void> {
  await sql.unsafe(TOTESYS_DDL);
}
