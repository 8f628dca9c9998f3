/**
 * Dimension rules: latest values, type 1 (docs/design.md section 5; issue 4). Each dimension row carries its
 * version: `source_last_updated` (the latest `last_updated` of the source rows it was built from) and
 * `source_run_id` (the ingest run whose snapshot it reflects), so the load never lets an older run overwrite it.
 *
 * A change to a referenced row reaches every dimension row that uses it: a department change re-emits its staff,
 * an address change re-emits its location and the counterparties whose legal address it is. That needs the
 * current rows of address, department, staff and counterparty: the {@link ReferenceState}, kept between runs, so a
 * run's cost grows with its changes, not with the size of the big tables.
 *
 * @module
 */
import type { WarehouseRow } from "../contract/mod.ts";
import { BadRowError } from "./bad_row.ts";
import { int, intOrNull, type SourceRow, text, textOrNull } from "./values.ts";

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

const pk = (table: string, row: SourceRow) => int(table, row, 0, `${table}_id`);
const lu = (table: string, row: SourceRow) => text(table, row, pk(table, row), "last_updated");
const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The reference state after applying a run's changes (latest row per key) and deletions (keys removed). Pure:
 * returns a new object.
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

/** dim_location from an address (address_id → location_id). */
export function dimLocation(a: SourceRow, runId: string): WarehouseRow {
  const t = "address";
  const k = pk(t, a);
  return {
    location_id: k,
    address_line_1: text(t, a, k, "address_line_1"),
    address_line_2: textOrNull(t, a, k, "address_line_2"),
    district: textOrNull(t, a, k, "district"),
    city: text(t, a, k, "city"),
    postal_code: text(t, a, k, "postal_code"),
    country: text(t, a, k, "country"),
    phone: text(t, a, k, "phone"),
    source_last_updated: lu(t, a),
    source_run_id: runId,
  };
}

const currencyNames = new Intl.DisplayNames(["en"], { type: "currency", fallback: "none" });

/** dim_currency: `currency_name` is the English ISO 4217 name from `Intl.DisplayNames` (e.g. GBP → "British Pound"). */
export function dimCurrency(c: SourceRow, runId: string): WarehouseRow {
  const t = "currency";
  const k = pk(t, c);
  const code = text(t, c, k, "currency_code");
  const name = /^[A-Z]{3}$/.test(code) ? currencyNames.of(code) : undefined;
  if (!name) throw new BadRowError(t, k, "currency_code", code, "is not an ISO 4217 currency code");
  return {
    currency_id: k,
    currency_code: code,
    currency_name: name,
    source_last_updated: lu(t, c),
    source_run_id: runId,
  };
}

/** dim_design: the design without its timestamps. */
export function dimDesign(d: SourceRow, runId: string): WarehouseRow {
  const t = "design";
  const k = pk(t, d);
  return {
    design_id: k,
    design_name: text(t, d, k, "design_name"),
    file_location: text(t, d, k, "file_location"),
    file_name: text(t, d, k, "file_name"),
    source_last_updated: lu(t, d),
    source_run_id: runId,
  };
}

/** dim_payment_type: the enum name as text. */
export function dimPaymentType(p: SourceRow, runId: string): WarehouseRow {
  const t = "payment_type";
  const k = pk(t, p);
  return {
    payment_type_id: k,
    payment_type_name: text(t, p, k, "payment_type_name"),
    source_last_updated: lu(t, p),
    source_run_id: runId,
  };
}

/** dim_transaction: type as text; the order ids stay null where the transaction has none. */
export function dimTransaction(x: SourceRow, runId: string): WarehouseRow {
  const t = "transaction";
  const k = pk(t, x);
  return {
    transaction_id: k,
    transaction_type: text(t, x, k, "transaction_type"),
    sales_order_id: intOrNull(t, x, k, "sales_order_id"),
    purchase_order_id: intOrNull(t, x, k, "purchase_order_id"),
    source_last_updated: lu(t, x),
    source_run_id: runId,
  };
}

/** dim_staff: staff joined to its department (department_name, location). */
export function dimStaff(s: SourceRow, state: ReferenceState, runId: string): WarehouseRow {
  const t = "staff";
  const k = pk(t, s);
  const deptId = int(t, s, k, "department_id");
  const dept = state.department[String(deptId)];
  if (!dept) {
    throw new BadRowError(t, k, "department_id", deptId, "references a department that does not exist");
  }
  const location = dept.location;
  if (typeof location !== "string") {
    throw new BadRowError(
      "department",
      deptId,
      "location",
      location ?? null,
      "is NULL; dim_staff.location needs a value",
    );
  }
  return {
    staff_id: k,
    first_name: text(t, s, k, "first_name"),
    last_name: text(t, s, k, "last_name"),
    department_name: text("department", dept, deptId, "department_name"),
    location,
    email_address: text(t, s, k, "email_address"),
    source_last_updated: later(lu(t, s), lu("department", dept)),
    source_run_id: runId,
  };
}

/** dim_counterparty: counterparty joined to its legal address. */
export function dimCounterparty(c: SourceRow, state: ReferenceState, runId: string): WarehouseRow {
  const t = "counterparty";
  const k = pk(t, c);
  const addrId = int(t, c, k, "legal_address_id");
  const a = state.address[String(addrId)];
  if (!a) {
    throw new BadRowError(t, k, "legal_address_id", addrId, "references an address that does not exist");
  }
  return {
    counterparty_id: k,
    counterparty_legal_name: text(t, c, k, "counterparty_legal_name"),
    counterparty_legal_address_line_1: text("address", a, addrId, "address_line_1"),
    counterparty_legal_address_line_2: textOrNull("address", a, addrId, "address_line_2"),
    counterparty_legal_district: textOrNull("address", a, addrId, "district"),
    counterparty_legal_city: text("address", a, addrId, "city"),
    counterparty_legal_postal_code: text("address", a, addrId, "postal_code"),
    counterparty_legal_country: text("address", a, addrId, "country"),
    counterparty_legal_phone_number: text("address", a, addrId, "phone"),
    source_last_updated: later(lu(t, c), lu("address", a)),
    source_run_id: runId,
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
