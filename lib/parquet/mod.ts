/**
 * Parquet codec for warehouse rows: rows in their in-memory forms (see `ColumnType` in ../contract/warehouse.ts)
 * to Parquet bytes with an explicit Arrow schema, and back, exactly.
 *
 * - Writing streams record batches into parquet-wasm's writer, so only about one row group is held in Arrow form;
 *   the same rows and options give byte-identical files (design.md section 4: re-runs write the same objects).
 * - Reading goes row group by row group, so memory stays bounded by a row group plus the file's bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeParquet, encodeParquet } from "./mod.ts";
 * import { WAREHOUSE_TABLES } from "../contract/mod.ts";
 * const columns = WAREHOUSE_TABLES.dim_payment_type.columns;
 * const rows = [{ payment_type_id: 1, payment_type_name: "SALES_RECEIPT", source_last_updated:
 *   "2022-11-03 14:20:49.962000", source_run_id: "r1" }];
 * const bytes = await encodeParquet(columns, rows);
 * const back = [];
 * for await (const batch of decodeParquet(bytes, columns)) back.push(...batch);
 * assert.deepEqual(back, rows);
 * ```
 *
 * @module
 */
export { prepareParquetWasm } from "./_wasm.ts";
export * from "./decode.ts";
export * from "./encode.ts";
export * from "./read.ts";
export * from "./schema.ts";
export * from "./write.ts";
