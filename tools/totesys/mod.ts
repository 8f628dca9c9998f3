/**
 * ToteSys, the source OLTP database: its schema (the project's own DDL, matching the live system:
 * the ToteSys data notes (docs/design.md section 1; the dumps' README §4)), a deterministic generator of realistic data and its COPY loader,
 * a loader of real pg_dump files, and an activity simulator.
 *
 * @module
 */
export { createTotesysSchema, TOTESYS_DDL } from "./schema.ts";
export { copyField, copyIn, copyLine, type CopyRow } from "../../lib/io/copy.ts";
export {
  designCount,
  generateTotesys,
  purchaseOrderCount,
  type SeedCounts,
  seedCounts,
  type SeedOptions,
  type TableBatch,
} from "./seed.ts";
export { TOTESYS_COLUMNS, type TotesysTable } from "./seed_rows.ts";
export {
  seedDatabase,
  type SeedDatabaseOptions,
  type SeedProgress,
  syncSequences,
  totesysSchemaExists,
} from "./seed_load.ts";
export { loadDump, type LoadDumpOptions, type LoadDumpResult } from "./dump.ts";
export {
  classifyDumpStatement,
  type ScriptItem,
  type StatementAction,
  StatementSplitter,
} from "./sql_split.ts";
export {
  simulateActivity,
  type SimulateOptions,
  type SimulateSummary,
  type TableActivity,
} from "./simulate.ts";
