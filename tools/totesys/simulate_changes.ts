/**
 * The changes the simulator makes (internal to tools/totesys/simulate.ts): new orders with their transaction and
 * payment, payments set paid, edits, new designs and counterparties.
 *
 * @module
 */
import { DAY_MS, formatDate, parseDate } from "./civil_time.ts";
import {
  addressRow,
  centsText,
  counterpartyRowAt,
  designRow,
  personName,
  randomItemCode,
} from "./seed_rows.ts";
import type { Kind, Run } from "./simulate_run.ts";

/** A new sales or purchase order with its transaction and payment (3 rows); false when a reference is missing. */
export async function order(run: Run, sale: boolean): Promise<boolean> {
  const { rng } = run;
  const staff = await run.pick("staff");
  const counterparty = await run.pick("counterparty");
  const currency = await run.pick("currency");
  const location = await run.pick("address");
  const design = sale ? await run.pick("design") : 0;
  if (staff === null || counterparty === null || currency === null || location === null || design === null) {
    return false;
  }
  const at = run.tick();
  const day = Math.floor(run.ms / DAY_MS);
  const quantity = sale ? rng.int(1000, 100_000) : rng.int(1, 1000);
  const cents = sale ? rng.int(200, 400) : rng.int(300, 100_000);
  const delivery = formatDate(day + rng.int(0, 7));
  const payment = formatDate(day + rng.int(0, 6));
  const id = await insertOrder(run, sale, {
    at,
    design,
    staff,
    counterparty,
    quantity,
    cents,
    currency,
    delivery,
    payment,
    location,
  });
  const tx = await run.insert("transaction", [
    sale ? "SALE" : "PURCHASE",
    sale ? id : null,
    sale ? null : id,
    at,
    at,
  ]);
  await insertPayment(run, sale, {
    at,
    tx,
    counterparty,
    amount: centsText(quantity * cents),
    currency,
    payment,
  });
  return true;
}

/** What a new order is made of. */
interface OrderValues {
  at: string;
  design: number;
  staff: number;
  counterparty: number;
  quantity: number;
  cents: number;
  currency: number;
  delivery: string;
  payment: string;
  location: number;
}

/** Inserts the sales or purchase order row and returns its id. */
async function insertOrder(run: Run, sale: boolean, v: OrderValues): Promise<number> {
  const { rng } = run;
  const { at, design, staff, counterparty, quantity, cents, currency, delivery, payment, location } = v;
  return sale
    ? await run.insert("sales_order", [
      at,
      at,
      design,
      staff,
      counterparty,
      quantity,
      centsText(cents),
      currency,
      delivery,
      payment,
      location,
    ])
    : await run.insert("purchase_order", [
      at,
      at,
      staff,
      counterparty,
      randomItemCode(rng),
      quantity,
      centsText(cents),
      currency,
      delivery,
      payment,
      location,
    ]);
}

/** Inserts the order's unpaid payment. */
async function insertPayment(
  run: Run,
  sale: boolean,
  v: { at: string; tx: number; counterparty: number; amount: string; currency: number; payment: string },
): Promise<void> {
  const { rng } = run;
  const { at, tx, counterparty, currency, payment } = v;
  await run.insert("payment", [
    at,
    at,
    tx,
    counterparty,
    v.amount,
    currency,
    run.paymentTypes.get(sale ? "SALES_RECEIPT" : "PURCHASE_PAYMENT") ?? (sale ? 1 : 3),
    false,
    payment,
    rng.int(10_000_000, 99_999_999),
    rng.int(10_000_000, 99_999_999),
  ]);
}

/** One change of `kind`; false when it cannot be made (nothing left to pick). */
export async function change(run: Run, kind: Kind): Promise<boolean> {
  const { rng } = run;
  switch (kind) {
    case "sale":
    case "purchase":
      return await order(run, kind === "sale");
    case "pay": {
      const id = await run.pick("payment", "NOT paid", true);
      if (id === null) return false;
      await run.update("payment", id, { paid: true });
      return true;
    }
    case "edit_sale":
      return await editSale(run);
    case "edit_address": {
      const id = await run.pick("address", "TRUE", true);
      if (id === null) return false;
      const phone = `${rng.int(0, 9999).toString().padStart(4, "0")} ${
        rng.int(0, 999_999).toString().padStart(6, "0")
      }`;
      await run.update("address", id, { phone });
      return true;
    }
    case "edit_department": {
      const id = await run.pick("department", "TRUE", true);
      if (id === null) return false;
      await run.update("department", id, { manager: personName(rng) });
      return true;
    }
    case "new_design": {
      const at = run.tick();
      const row = designRow(rng, 0, at, Math.floor(run.ms / DAY_MS));
      await run.insert("design", row.slice(1));
      return true;
    }
    case "new_counterparty": {
      const at = run.tick();
      const address = await run.insert("address", addressRow(rng, 0, at).slice(1));
      await run.insert("counterparty", counterpartyRowAt(rng, 0, address, at).slice(1));
      return true;
    }
  }
}

/** An edited sales order: units_sold, agreed_delivery_date or agreed_delivery_location_id. */
async function editSale(run: Run): Promise<boolean> {
  const { rng } = run;
  const id = await run.pick("sales_order", "TRUE", true);
  if (id === null) return false;
  const [row] = await run.db`
    SELECT units_sold, agreed_delivery_date, agreed_delivery_location_id FROM sales_order
     WHERE sales_order_id = ${id}`;
  const which = rng.int(0, 2);
  if (which === 0) {
    let units = rng.int(1000, 100_000);
    if (units === row!.units_sold) units = units === 100_000 ? 1000 : units + 1;
    await run.update("sales_order", id, { units_sold: units });
  } else if (which === 1) {
    const text = String(row!.agreed_delivery_date);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDate(text) : Math.floor(run.ms / DAY_MS);
    const later = formatDate(day + rng.int(1, 14));
    await run.update("sales_order", id, { agreed_delivery_date: later });
  } else {
    const location = await run.pick(
      "address",
      `address_id <> ${Number(row!.agreed_delivery_location_id)}`,
    );
    if (location === null) return false;
    await run.update("sales_order", id, { agreed_delivery_location_id: location });
  }
  return true;
}
