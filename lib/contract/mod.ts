/**
 * One table contract drives ingest, transform, Parquet schemas, warehouse DDL and checks.
 *
 * @module
 */
export * from "./source.ts";
export * from "./warehouse.ts";
