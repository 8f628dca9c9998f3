/**
 * What a warehouse table's rule is: the source table it is built from and a pure function from one source row
 * (and, for joined dimensions, the reference state) to one warehouse row.
 *
 * @module
 */
import type { SourceTableName, WarehouseRow, WarehouseTableName } from "../../contract/mod.ts";
import type { ReferenceState } from "../reference.ts";
import type { SourceRow } from "./_columns.ts";

/** What a rule may read besides the row: the run's id and the current rows of the joined tables. */
export interface RuleContext {
  /** The ingest run being transformed (a dimension row's `source_run_id`). */
  runId: string;
  /** Current rows of address, department, staff and counterparty after this run's changes. */
  reference: ReferenceState;
}

/** A dimension the transform tracks the keys of, so that a fact referencing a missing row can wait for it. */
export type TrackedDimension =
  | "dim_location"
  | "dim_currency"
  | "dim_design"
  | "dim_payment_type"
  | "dim_staff"
  | "dim_counterparty"
  | "dim_transaction";

/** A fact column that references a tracked dimension's key (a warehouse foreign key). */
export type Reference = readonly [column: string, dimension: TrackedDimension];

/** The rule of one warehouse table built row by row from one source table. */
export interface TableRule {
  /** The warehouse table it writes. */
  target: WarehouseTableName;
  /** The source table whose rows it reads (and whose deleted keys name the target's rows). */
  source: SourceTableName;
  /**
   * Builds the warehouse row of one source row.
   *
   * @throws BadRowError naming table, key, column and value when the row cannot become a warehouse row.
   */
  build(row: SourceRow, context: RuleContext): WarehouseRow;
}
