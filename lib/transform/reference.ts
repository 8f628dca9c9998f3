/**
 * The reference state: the current rows of the tables that dimensions join (address, department, staff,
 * counterparty), kept between runs so a run's cost grows with its changes, not with the size of the big tables;
 * and which source rows feed each small dimension in a run.
 *
 * A change to a referenced row reaches every dimension row that uses it (docs/design.md section 5): a department
 * change re-emits its staff, an address change re-emits its location and the counterparties whose legal address
 * it is.
 *
 * @module
 */
import { pk, type SourceRow } from "./rules/_columns.ts";

/** Current rows of the tables that dimensions join, keyed by primary key (as JSON object keys). */
export interface ReferenceState {
  address: Record<string, SourceRow>;
  department: Record<string, SourceRow>;
  staff: Record<string, SourceRow>;
  counterparty: Record<string, SourceRow>;
}

/** The reference state before the first run. */
export const EMPTY_REFERENCE_STATE: ReferenceState = {
  address: {},
  department: {},
  staff: {},
  counterparty: {},
};

/** The changed rows of the small source tables in one run (the big ones are streamed). */
export interface SmallChanges {
  address: SourceRow[];
  department: SourceRow[];
  staff: SourceRow[];
  counterparty: SourceRow[];
  currency: SourceRow[];
  design: SourceRow[];
  payment_type: SourceRow[];
}

/** The small source tables, read whole in each run. */
export const SMALL_SOURCES = [
  "address",
  "department",
  "staff",
  "counterparty",
  "currency",
  "design",
  "payment_type",
] as const satisfies readonly (keyof SmallChanges)[];

/**
 * The reference state after applying a run's changes (latest row per key) and deletions (keys removed). Pure:
 * returns a new object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyReferenceChanges, EMPTY_REFERENCE_STATE } from "./reference.ts";
 * const changes = { address: [], staff: [], counterparty: [], currency: [], design: [], payment_type: [],
 *   department: [{ department_id: 2, department_name: "Sales", location: "Manchester" }] };
 * const next = applyReferenceChanges(EMPTY_REFERENCE_STATE, changes);
 * assert.equal(next.department["2"]?.location, "Manchester");
 * assert.deepEqual(applyReferenceChanges(next, { ...changes, department: [] }, { department: [2] }).department, {});
 * ```
 */
export function applyReferenceChanges(
  state: ReferenceState,
  changes: SmallChanges,
  deleted: Partial<Record<keyof ReferenceState, readonly number[]>> = {},
): ReferenceState {
  const next = (table: keyof ReferenceState) => {
    const out = { ...state[table] };
    for (const id of deleted[table] ?? []) delete out[String(id)];
    for (const row of changes[table]) out[String(pk(table, row))] = row;
    return out;
  };
  return {
    address: next("address"),
    department: next("department"),
    staff: next("staff"),
    counterparty: next("counterparty"),
  };
}

/**
 * Which source rows feed each small dimension in this run, after applying the changes to the reference state:
 * the changed rows, plus the staff of every changed department and the counterparties of every changed address.
 *
 * @returns per dimension, the source rows to transform, sorted by primary key.
 */
export function dimensionInputs(next: ReferenceState, changes: SmallChanges): Record<string, SourceRow[]> {
  const byKey = (table: string) => (a: SourceRow, b: SourceRow) => pk(table, a) - pk(table, b);
  const changedDepts = new Set(changes.department.map((d) => pk("department", d)));
  const changedAddrs = new Set(changes.address.map((a) => pk("address", a)));
  const staff = new Map(changes.staff.map((s) => [pk("staff", s), s]));
  for (const s of Object.values(next.staff)) {
    if (changedDepts.has(s.department_id as number)) staff.set(pk("staff", s), s);
  }
  const cps = new Map(changes.counterparty.map((c) => [pk("counterparty", c), c]));
  for (const c of Object.values(next.counterparty)) {
    if (changedAddrs.has(c.legal_address_id as number)) cps.set(pk("counterparty", c), c);
  }
  return {
    dim_location: [...changes.address].sort(byKey("address")),
    dim_currency: [...changes.currency].sort(byKey("currency")),
    dim_design: [...changes.design].sort(byKey("design")),
    dim_payment_type: [...changes.payment_type].sort(byKey("payment_type")),
    dim_staff: [...staff.values()].sort(byKey("staff")),
    dim_counterparty: [...cps.values()].sort(byKey("counterparty")),
  };
}
