/**
 * One table contract drives ingest, transform, Parquet schemas, warehouse DDL checks, reconcile, Terraform's
 * per-table lists and the tests' checks: the ToteSys tables (source.ts), the warehouse tables (warehouse.ts,
 * columns.ts) and what follows from them (keys.ts: primary and foreign keys, source columns).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foreignKeys, SOURCE_TABLES, WAREHOUSE_TABLES } from "./mod.ts";
 * assert(SOURCE_TABLES.staff.references?.department_id === "department");
 * assert(WAREHOUSE_TABLES.dim_staff.source === "staff");
 * assert(foreignKeys().some((k) => k.table === "fact_payment" && k.references.table === "dim_transaction"));
 * ```
 *
 * @module
 */
export * from "./source.ts";
export * from "./warehouse.ts";
export * from "./keys.ts";
