import assert from "node:assert/strict";
import { factPayment, factPurchaseOrder, factSalesOrder } from "./facts.ts";
import { dimCurrency, dimStaff, EMPTY_REFERENCE_STATE } from "./dimensions.ts";
import { dateRangeCovering, dimDateRows, unionRange } from "./dim_date.ts";
import { money, splitTimestamp } from "./values.ts";
import { BadRowError } from "./bad_row.ts";

const so = {
  sales_order_id: 5031,
  created_at: "2024-11-13 10:00:00.500123",
  last_updated: "2024-11-14 00:00:00.000000",
  design_id: 3,
  staff_id: 4,
  counterparty_id: 5,
  units_sold: 42972,
  unit_price: "3.9",
  currency_id: 1,
  agreed_delivery_date: "2024-11-20",
  agreed_payment_date: "2024-12-01",
  agreed_delivery_location_id: 6,
};

Deno.test("factSalesOrder() splits timestamps to the microsecond and keeps money exact", () => {
  assert.deepEqual(factSalesOrder(so), {
    sales_order_id: 5031,
    created_date: "2024-11-13",
    created_time: "10:00:00.500123",
    last_updated_date: "2024-11-14",
    last_updated_time: "00:00:00.000000",
    sales_staff_id: 4,
    counterparty_id: 5,
    units_sold: 42972,
    unit_price: "3.90",
    currency_id: 1,
    design_id: 3,
    agreed_payment_date: "2024-12-01",
    agreed_delivery_date: "2024-11-20",
    agreed_delivery_location_id: 6,
  });
});

Deno.test("fact rules name table, key, column and value of a bad row", () => {
  assert.throws(
    () => factSalesOrder({ ...so, agreed_payment_date: "2024-02-30" }),
    (e: unknown) =>
      e instanceof BadRowError && e.message ===
        'Cannot transform sales_order 5031: agreed_payment_date "2024-02-30" is not a calendar date',
  );
  assert.throws(() => factSalesOrder({ ...so, staff_id: null }), /sales_order 5031: staff_id null is NULL/);
  assert.throws(
    () => factSalesOrder({ ...so, unit_price: "2.675" }),
    /unit_price "2.675" has more than 2 decimals/,
  );
  assert.throws(
    () => factSalesOrder({ ...so, unit_price: "123456789.12" }),
    /unit_price "123456789.12" has more than 8 digits before the point/,
  );
  assert.throws(
    () => factPurchaseOrder({ purchase_order_id: 9, created_at: "x" }),
    /purchase_order 9: created_at "x" is not a timestamp/,
  );
  assert.throws(
    () => factPayment({ payment_id: 1, created_at: "2024-01-01 00:00:00.000000" }),
    /last_updated/,
  );
});

Deno.test("money() never rounds: exact decimal text only", () => {
  assert.equal(money("t", { m: "1000000" }, 1, "m"), "1000000.00");
  assert.equal(money("t", { m: "-0.5" }, 1, "m"), "-0.50");
  assert.equal(money("t", { m: "3.9400" }, 1, "m"), "3.94");
  assert.equal(money("t", { m: "0003.10" }, 1, "m"), "3.10");
  assert.equal(money("t", { m: "9999999999.99" }, 1, "m"), "9999999999.99");
  assert.throws(() => money("t", { m: "3.941" }, 1, "m"), /m "3.941" has more than 2 decimals/);
  assert.throws(() => money("t", { m: 3.25 }, 1, "m"), /m 3.25 is not an exact amount/);
  assert.throws(() => money("t", { m: "1e5" }, 1, "m"), /m "1e5" is not an exact amount/);
});

Deno.test("splitTimestamp() handles dates before 1970", () => {
  assert.deepEqual(splitTimestamp("t", { c: "1969-12-31 23:59:59.999999" }, 1, "c"), [
    "1969-12-31",
    "23:59:59.999999",
  ]);
});

Deno.test("dimCurrency() names ISO 4217 codes through Intl and rejects unknown ones", () => {
  const row = (code: string) => ({
    currency_id: 1,
    currency_code: code,
    last_updated: "2022-11-03 14:20:49.962000",
  });
  assert.equal(dimCurrency(row("GBP"), "r").currency_name, "British Pound");
  assert.equal(dimCurrency(row("USD"), "r").currency_name, "US Dollar");
  assert.equal(dimCurrency(row("EUR"), "r").currency_name, "Euro");
  assert.throws(
    () => dimCurrency(row("ZZZ"), "r"),
    /currency 1: currency_code "ZZZ" is not an ISO 4217 currency code/,
  );
});

Deno.test("dimStaff() fails naming the staff row when its department is missing", () => {
  const staff = {
    staff_id: 7,
    first_name: "A",
    last_name: "B",
    department_id: 99,
    email_address: "a@b",
    last_updated: "2022-11-03 14:20:49.962000",
  };
  assert.throws(
    () => dimStaff(staff, EMPTY_REFERENCE_STATE, "r"),
    /Cannot transform staff 7: department_id 99 references a department that does not exist/,
  );
});

Deno.test("dimDateRows() is contiguous with ISO weekdays, English names and quarters", () => {
  const rows = [...dimDateRows("2023-12-30", "2024-03-01")];
  assert.equal(rows.length, 63);
  assert.deepEqual(rows[0], {
    date_id: "2023-12-30",
    year: 2023,
    month: 12,
    day: 30,
    day_of_week: 6,
    day_name: "Saturday",
    month_name: "December",
    quarter: 4,
  });
  const leap = rows.find((r) => r.date_id === "2024-02-29")!;
  assert.deepEqual([leap.day_of_week, leap.day_name, leap.quarter], [4, "Thursday", 1]);
  // every weekday agrees with Intl (UTC)
  const fmt = new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" });
  for (const r of rows) assert.equal(r.day_name, fmt.format(new Date(`${r.date_id}T12:00:00Z`)));
  for (let i = 1; i < rows.length; i++) assert.ok(String(rows[i]!.date_id) > String(rows[i - 1]!.date_id));
});

Deno.test("dim_date ranges cover whole years and only grow", () => {
  assert.deepEqual(dateRangeCovering("2022-11-03", "2024-12-01"), ["2022-01-01", "2024-12-31"]);
  assert.deepEqual(unionRange(["2022-01-01", "2023-12-31"], ["2021-01-01", "2021-12-31"]), [
    "2021-01-01",
    "2023-12-31",
  ]);
  assert.deepEqual(unionRange(null, ["2021-01-01", "2021-12-31"]), ["2021-01-01", "2021-12-31"]);
});
