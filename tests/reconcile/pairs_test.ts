// Reconcile's pairs come from the contract (lib/contract/): spelled out for a joined dimension and a fact, so a
// contract change that alters what reconcile compares shows here.
import assert from "node:assert/strict";
import { PAIRS, rowTextSql } from "../../lib/reconcile/pairs.ts";
import { freshDatabase } from "../harness.ts";
import { WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";

Deno.test("one pair per warehouse table built from ToteSys, facts through their _current views", () => {
  assert.deepEqual(
    PAIRS.map((p) => p.name),
    WAREHOUSE_TABLE_NAMES.filter((t) => t !== "dim_date").map((t) =>
      t.startsWith("fact_") ? `${t}_current` : t
    ),
  );
});

Deno.test("dim_staff compares the department's columns through the staff row's department_id", () => {
  const staff = PAIRS.find((p) => p.name === "dim_staff")!;
  assert.equal(staff.sourceTable, "staff");
  assert.equal(
    staff.source.from,
    "public.staff s LEFT JOIN public.department j_department_id ON j_department_id.department_id = s.department_id",
  );
  assert.deepEqual(staff.source.columns, [
    "s.first_name",
    "s.last_name",
    "j_department_id.department_name",
    "j_department_id.location",
    "s.email_address",
  ]);
  assert.deepEqual(staff.warehouse.columns, [
    "first_name",
    "last_name",
    "department_name",
    "location",
    "email_address",
  ]);
  assert.equal(staff.warehouse.from, "(SELECT * FROM dim_staff WHERE deleted_at IS NULL) w");
});

Deno.test("fact_payment_current compares split timestamps, money by value, and not the account numbers", () => {
  const pay = PAIRS.find((p) => p.name === "fact_payment_current")!;
  assert.equal(pay.source.key, "s.payment_id");
  assert.deepEqual(pay.source.columns.slice(0, 11), [
    "s.created_at::date",
    "s.created_at::time",
    "s.last_updated::date",
    "s.last_updated::time",
    "s.transaction_id",
    "s.counterparty_id",
    "trim_scale(s.payment_amount)",
    "s.currency_id",
    "s.payment_type_id",
    "s.paid",
    "s.payment_date",
  ]);
  assert.ok(!pay.source.columns.includes("s.counterparty_ac_number"));
  assert.equal(pay.warehouse.from, "fact_payment_current");
  assert.equal(pay.warehouse.columns[6], "trim_scale(payment_amount)");
});

Deno.test("a row's comparison text tells NULL from the text '\\N', and a value holding a separator from two values", async () => {
  // its own database: other tests in the same process point TOTESYS_DATABASE_URL at databases they later drop
  const db = await freshDatabase("pairs");
  const sql = db.sql;
  try {
    const textOf = async (a: string | null, b: string | null) => {
      const side = { from: "(SELECT $1::text AS a, $2::text AS b) v", key: "1", columns: ["a", "b"] };
      const [row] = await sql.unsafe(`SELECT ${rowTextSql(side)} AS t FROM ${side.from}`, [a, b]);
      return row!.t as string;
    };
    assert.notEqual(await textOf(null, "x"), await textOf("\\N", "x"));
    assert.notEqual(await textOf("a\x1fb", "c"), await textOf("a", "b\x1fc"));
    assert.notEqual(await textOf("a\\", "b"), await textOf("a", "\\b"));
    assert.equal(await textOf("Wooden", "/usr"), "Wooden\x1f/usr");
  } finally {
    await db.drop();
  }
});
