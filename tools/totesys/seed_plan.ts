/**
 * The time plan of the generated ToteSys data: when the reference rows, the orders and the designs are created,
 * and the fixed table sizes. Rules from the ToteSys data notes (docs/design.md section 1; the dumps' README §1) (see seed.ts).
 *
 * @module
 */
import { DAY_MS, daysFromCivil, weekday } from "./civil_time.ts";
import { deriveSeed, Rng } from "./prng.ts";

/** Day number of 2022-11-03, the first day of the real data. */
export const START_DAY = daysFromCivil(2022, 11, 3);
/** 2022-11-03 14:20:49.962: created_at of address, currency, department, payment_type and designs 1–10. */
export const REFERENCE_MS = START_DAY * DAY_MS + (14 * 3600 + 20 * 60 + 49) * 1000 + 962;
/** 2022-11-03 14:20:51.563: created_at of counterparty and staff. */
export const PARTIES_MS = START_DAY * DAY_MS + (14 * 3600 + 20 * 60 + 51) * 1000 + 563;
/** 2022-11-03 14:20:52.186: created_at of the first orders. */
export const FIRST_ORDER_MS = START_DAY * DAY_MS + (14 * 3600 + 20 * 60 + 52) * 1000 + 186;
/** Real orders per business day: 9,899 in the ~341 weekdays from 2022-11-03 to 2024-02-23. */
const REAL_ORDERS_PER_BUSINESS_DAY = 29;
/** Largest span in business days (about two years) before orders get denser than the real rate. */
const MAX_BUSINESS_DAYS = 520;
const BUSINESS_MINUTES = 11 * 60; // 08:00–18:59
/** The first orders all share one instant in the real data (5 sales + 5 purchases). */
const BURST = 10;
/** Business minutes from day 0's 08:00 to 14:21, where the regular flow starts. */
export const FLOW_START_MINUTE = 14 * 60 + 21 - 8 * 60;

/** Row counts of the tables whose size does not depend on the order count: those of the real data (README §1). */
export const FIXED_COUNTS = {
  address: 30,
  counterparty: 20,
  currency: 3,
  department: 8,
  payment_type: 4,
  staff: 20,
} as const;

/** Wall-clock ms of the start of business minute `m` (0 = day 0 08:00; weekdays only). */
export function minuteStartMs(m: number): number {
  const b = Math.floor(m / BUSINESS_MINUTES);
  const w0 = weekday(START_DAY) - 1; // Monday-based index of day 0 (a Thursday)
  const shifted = b + w0;
  const dayOffset = Math.floor(shifted / 5) * 7 + (shifted % 5) - w0;
  return (START_DAY + dayOffset) * DAY_MS + (8 * 60 + (m % BUSINESS_MINUTES)) * 60_000;
}

/** The sequence of orders in time: kind and instant. Consumes its own random stream only. */
export class Timeline {
  #rng: Rng;
  #sales: number;
  #purchases: number;
  #index = 0;
  #pos = FLOW_START_MINUTE * 60_000;
  #gap2: number;
  /** Business minute of the last order (−1 during the first burst). */
  minute = -1;
  /** Instant of the last order, in ms. */
  ms = 0;
  /** Whether the last order is a sales order. */
  sale = false;

  constructor(seed: number, sales: number, purchases: number) {
    this.#rng = new Rng(deriveSeed(seed, 3));
    this.#sales = sales;
    this.#purchases = purchases;
    const perDay = Math.max(REAL_ORDERS_PER_BUSINESS_DAY, (sales + purchases) / MAX_BUSINESS_DAYS);
    this.#gap2 = Math.floor((2 * BUSINESS_MINUTES * 60_000) / perDay);
  }

  /** Advances to the next order; false when all are done. */
  next(): boolean {
    const left = this.#sales + this.#purchases;
    if (left === 0) return false;
    this.sale = this.#rng.float() * left < this.#sales;
    if (this.sale) this.#sales--;
    else this.#purchases--;
    if (this.#index++ < BURST) {
      this.ms = FIRST_ORDER_MS + this.#rng.int(0, 2);
      return true;
    }
    this.#pos += this.#rng.int(0, this.#gap2);
    this.minute = Math.floor(this.#pos / 60_000);
    this.ms = minuteStartMs(this.minute) + 9500 + this.#rng.int(0, 1499);
    return true;
  }
}

/** Business minutes at which designs 11… are created (sorted), from the span of the orders. */
export function designMinutes(seed: number, count: number, lastMinute: number): Int32Array {
  const rng = new Rng(deriveSeed(seed, 2));
  const minutes = new Int32Array(Math.max(0, count - 10));
  const hi = Math.max(FLOW_START_MINUTE, lastMinute);
  for (let i = 0; i < minutes.length; i++) minutes[i] = rng.int(FLOW_START_MINUTE, hi);
  return minutes.sort();
}

/** The span of the orders, from a first pass over the timeline (its own random stream, so it is cheap). */
export function span(seed: number, sales: number, purchases: number): { lastMinute: number; asOf: number } {
  const pre = new Timeline(seed, sales, purchases);
  let lastMinute = FLOW_START_MINUTE;
  let asOf = FIRST_ORDER_MS + 2;
  while (pre.next()) {
    lastMinute = Math.max(lastMinute, pre.minute);
    asOf = Math.max(asOf, pre.ms);
  }
  return { lastMinute, asOf };
}
