// The analyst views of migration 4 against figures computed by hand from the fixture
// (tests/fixtures/analyst_warehouse.ts):
//   sales orders, current versions only (order 1's second version: 12 units; order 4 deleted):
//     1: Jan GBP design 1 staff 1 London 12 × 2.50 = 30.00
//     2: Jan USD design 1 staff 3 Paris   5 × 3.00 = 15.00
//     3: Jan GBP design 2 staff 1 London  1 × 100.00 = 100.00 (created 2024-01-31 23:59:59.999999)
//     5: Feb USD design 2 staff 2 Paris   3 × 0.10 = 0.30
//   design 3 has no sales; design 4 is deleted and has none (left out).
import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { createAnalystWarehouse } from "../fixtures/analyst_warehouse.ts";

Deno.test("analyst views: the fixture's figures, computed by hand", async (t) => {
  const db = await freshDatabase("views");
  const rows = async (q: string) => (await db.sql.unsafe(q)).map((r) => ({ ...r }));
  try {
    await createAnalystWarehouse(db.sql);

    await t.step("sales_by_month_currency: two currencies in January, never added together", async () => {
      assert.deepEqual(await rows("SELECT * FROM sales_by_month_currency ORDER BY month, currency_code"), [
        { month: "2024-01-01", currency_code: "GBP", orders: "2", units_sold: "13", revenue: "130.00" },
        { month: "2024-01-01", currency_code: "USD", orders: "1", units_sold: "5", revenue: "15.00" },
        { month: "2024-02-01", currency_code: "USD", orders: "1", units_sold: "3", revenue: "0.30" },
      ]);
    });

    await t.step(
      "sales_by_design: per currency; a design with no sales has 0 orders and no currency",
      async () => {
        assert.deepEqual(await rows("SELECT * FROM sales_by_design ORDER BY design_id, currency_code"), [
          {
            design_id: 1,
            design_name: "Bronze",
            currency_code: "GBP",
            orders: "1",
            units_sold: "12",
            revenue: "30.00",
          },
          {
            design_id: 1,
            design_name: "Bronze",
            currency_code: "USD",
            orders: "1",
            units_sold: "5",
            revenue: "15.00",
          },
          {
            design_id: 2,
            design_name: "Granite",
            currency_code: "GBP",
            orders: "1",
            units_sold: "1",
            revenue: "100.00",
          },
          {
            design_id: 2,
            design_name: "Granite",
            currency_code: "USD",
            orders: "1",
            units_sold: "3",
            revenue: "0.30",
          },
          {
            design_id: 3,
            design_name: "Cotton",
            currency_code: null,
            orders: "0",
            units_sold: "0",
            revenue: null,
          },
        ]);
      },
    );

    await t.step("sales_by_delivery_location", async () => {
      assert.deepEqual(
        await rows("SELECT * FROM sales_by_delivery_location ORDER BY country, city, currency_code"),
        [
          {
            country: "France",
            city: "Paris",
            currency_code: "USD",
            orders: "2",
            units_sold: "8",
            revenue: "15.30",
          },
          {
            country: "United Kingdom",
            city: "London",
            currency_code: "GBP",
            orders: "2",
            units_sold: "13",
            revenue: "130.00",
          },
        ],
      );
    });

    await t.step("sales_by_staff and sales_by_department", async () => {
      assert.deepEqual(
        await rows(
          "SELECT staff_id, last_name, department_name, currency_code, orders, units_sold, revenue FROM sales_by_staff ORDER BY staff_id, currency_code",
        ),
        [
          {
            staff_id: 1,
            last_name: "Able",
            department_name: "Sales",
            currency_code: "GBP",
            orders: "2",
            units_sold: "13",
            revenue: "130.00",
          },
          {
            staff_id: 2,
            last_name: "Best",
            department_name: "Export",
            currency_code: "USD",
            orders: "1",
            units_sold: "3",
            revenue: "0.30",
          },
          {
            staff_id: 3,
            last_name: "Cole",
            department_name: "Sales",
            currency_code: "USD",
            orders: "1",
            units_sold: "5",
            revenue: "15.00",
          },
        ],
      );
      assert.deepEqual(
        await rows("SELECT * FROM sales_by_department ORDER BY department_name, currency_code"),
        [
          { department_name: "Export", currency_code: "USD", orders: "1", units_sold: "3", revenue: "0.30" },
          {
            department_name: "Sales",
            currency_code: "GBP",
            orders: "2",
            units_sold: "13",
            revenue: "130.00",
          },
          { department_name: "Sales", currency_code: "USD", orders: "1", units_sold: "5", revenue: "15.00" },
        ],
      );
    });

    await t.step("purchases_by_counterparty", async () => {
      assert.deepEqual(
        await rows("SELECT * FROM purchases_by_counterparty ORDER BY counterparty_id, currency_code"),
        [
          {
            counterparty_id: 1,
            counterparty_legal_name: "Acme Ltd",
            currency_code: "GBP",
            orders: "1",
            item_quantity: "100",
            amount: "50.00",
          },
          {
            counterparty_id: 1,
            counterparty_legal_name: "Acme Ltd",
            currency_code: "USD",
            orders: "1",
            item_quantity: "10",
            amount: "15.0",
          },
          {
            counterparty_id: 2,
            counterparty_legal_name: "Bolt plc",
            currency_code: "GBP",
            orders: "1",
            item_quantity: "1",
            amount: "9.99",
          },
        ],
      );
    });

    await t.step(
      "payments_by_month: paid and unpaid; payment 1 counts once, as paid (its latest version)",
      async () => {
        assert.deepEqual(
          await rows(
            "SELECT * FROM payments_by_month ORDER BY month, currency_code, payment_type_name, paid",
          ),
          [
            {
              month: "2024-01-01",
              currency_code: "GBP",
              payment_type_name: "PURCHASE_PAYMENT",
              paid: true,
              payments: "1",
              amount: "50.00",
            },
            {
              month: "2024-01-01",
              currency_code: "GBP",
              payment_type_name: "SALES_RECEIPT",
              paid: false,
              payments: "1",
              amount: "100.00",
            },
            {
              month: "2024-01-01",
              currency_code: "GBP",
              payment_type_name: "SALES_RECEIPT",
              paid: true,
              payments: "1",
              amount: "30.00",
            },
            {
              month: "2024-02-01",
              currency_code: "USD",
              payment_type_name: "SALES_RECEIPT",
              paid: false,
              payments: "1",
              amount: "15.00",
            },
          ],
        );
      },
    );

    await t.step(
      "warehouse_freshness: rows and the newest last_updated per table (facts: every version)",
      async () => {
        const got = await rows("SELECT * FROM warehouse_freshness ORDER BY table_name");
        assert.deepEqual(got, [
          { table_name: "dim_counterparty", row_count: "2", newest_change: "2024-01-01 00:00:00" },
          { table_name: "dim_currency", row_count: "3", newest_change: "2024-01-01 00:00:00" },
          { table_name: "dim_design", row_count: "4", newest_change: "2024-01-01 00:00:00" },
          { table_name: "dim_location", row_count: "2", newest_change: "2024-01-01 00:00:00" },
          { table_name: "dim_payment_type", row_count: "2", newest_change: "2024-01-01 00:00:00" },
          { table_name: "dim_staff", row_count: "3", newest_change: "2024-03-04 05:06:07.123456" },
          { table_name: "dim_transaction", row_count: "3", newest_change: "2024-01-01 00:00:00" },
          { table_name: "fact_payment", row_count: "5", newest_change: "2024-02-02 10:00:00" },
          { table_name: "fact_purchase_order", row_count: "3", newest_change: "2024-02-03 09:00:00" },
          { table_name: "fact_sales_order", row_count: "6", newest_change: "2024-03-04 05:06:07.654321" },
        ]);
      },
    );
  } finally {
    await db.drop();
  }
});
