/**
 * Makers of single ToteSys rows (as COPY text fields, in the DDL's column order) from a seeded {@link Rng}: shared
 * by the bulk generator (seed.ts) and the activity simulator (simulate.ts). Value shapes and ranges follow the
 * real dumps (the ToteSys data notes (docs/design.md section 1; the dumps' README §1) and the ERD notes quoted in §3).
 *
 * @module
 */
import { formatCompactDate } from "./civil_time.ts";
import type { CopyRow } from "../../lib/io/copy.ts";
import { Rng } from "./prng.ts";
import { sourceColumnNames, type SourceTableName } from "../../lib/contract/mod.ts";
import {
  CITY_PATTERNS,
  COMPANY_PATTERNS,
  COUNTRIES,
  DIRECTORIES,
  DISTRICTS,
  FIRST_NAMES,
  LAST_NAMES,
  MATERIALS,
  NAME_PREFIXES,
  NAME_SUFFIXES,
  STREET_SUFFIXES,
} from "./seed_words.ts";

/** The ToteSys tables in the order the generator makes and loads them. */
const TOTESYS_TABLES = [
  "address",
  "counterparty",
  "currency",
  "department",
  "design",
  "payment_type",
  "staff",
  "sales_order",
  "purchase_order",
  "transaction",
  "payment",
] as const satisfies readonly SourceTableName[];

/** A ToteSys table name. */
export type TotesysTable = typeof TOTESYS_TABLES[number];

/**
 * Column names of each ToteSys table in the DDL's order (tools/totesys/schema.sql), the order of every row here:
 * the source contract's (lib/contract/source.ts).
 */
export const TOTESYS_COLUMNS: Readonly<Record<TotesysTable, readonly string[]>> = Object.fromEntries(
  TOTESYS_TABLES.map((t) => [t, sourceColumnNames(t)]),
) as unknown as Record<TotesysTable, readonly string[]>;

/** Text of a whole number of pence/cents as a 2-decimal amount: `12345` → `"123.45"`. */
export function centsText(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return `${whole}.${frac < 10 ? "0" : ""}${frac}`;
}

function digits(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** A person's name: first and last, sometimes with a title or a suffix (faker style). */
export function personName(rng: Rng): string {
  const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  const r = rng.float();
  if (r < 0.1) return `${rng.pick(NAME_PREFIXES)} ${name}`;
  if (r < 0.2) return `${name} ${rng.pick(NAME_SUFFIXES)}`;
  return name;
}

/**
 * An address row: `address_line_2` is NULL in about 2/3 of the rows and `district` in about 1/2 (README §1: 20 and
 * 14 of 30). `created` is the text of both timestamps.
 */
export function addressRow(rng: Rng, id: number, created: string): CopyRow {
  const line1 = `${digits(rng, rng.int(3, 5))} ${rng.pick(LAST_NAMES)} ${rng.pick(STREET_SUFFIXES)}`;
  const line2 = rng.chance(1 / 3) ? `${rng.pick(FIRST_NAMES)} ${rng.pick(STREET_SUFFIXES)}` : null;
  const district = rng.chance(0.5) ? rng.pick(DISTRICTS) : null;
  const city = rng.pick(CITY_PATTERNS).replace("*", rng.pick(LAST_NAMES));
  const postal = rng.chance(0.5) ? digits(rng, 5) : `${digits(rng, 5)}-${digits(rng, 4)}`;
  const phone = `${digits(rng, 4)} ${digits(rng, 6)}`;
  return [String(id), line1, line2, district, city, postal, rng.pick(COUNTRIES), phone, created, created];
}

/** A counterparty row with its legal address chosen among address ids 1…`addresses`. */
export function counterpartyRow(rng: Rng, id: number, addresses: number, created: string): CopyRow {
  return counterpartyRowAt(rng, id, rng.int(1, addresses), created);
}

/** A counterparty row whose legal address is `addressId`. */
export function counterpartyRowAt(rng: Rng, id: number, addressId: number, created: string): CopyRow {
  let legal: string = rng.pick(COMPANY_PATTERNS);
  while (legal.includes("*")) legal = legal.replace("*", rng.pick(LAST_NAMES));
  return [String(id), legal, String(addressId), personName(rng), personName(rng), created, created];
}

/** A staff row: e-mail `first.last@terrifictotes.com` in lower case (README §1). */
export function staffRow(rng: Rng, id: number, departments: number, created: string): CopyRow {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const email = `${first}.${last}@terrifictotes.com`.toLowerCase();
  return [String(id), first, last, String(rng.int(1, departments)), email, created, created];
}

/**
 * A design row: a material name, a Unix directory and a file name `material-YYYYMMDD-xxxx.json` dated up to two
 * years before `createdDay` (README §1). `created` is the text of both timestamps.
 */
export function designRow(rng: Rng, id: number, created: string, createdDay: number): CopyRow {
  const material = rng.pick(MATERIALS);
  let tag = "";
  for (let i = 0; i < 4; i++) tag += "abcdefghijklmnopqrstuvwxyz0123456789"[rng.int(0, 35)];
  const file = `${material.toLowerCase()}-${formatCompactDate(createdDay - rng.int(0, 730))}-${tag}.json`;
  return [String(id), created, material, rng.pick(DIRECTORIES), file, created];
}

const CODE_SPACE = 36n ** 7n;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * Purchase-order item codes: 7 characters of `A–Z0–9`, a bijection of the purchase order id (README §1: `item_code`
 * is unique per order), scrambled by the seed so the codes look random.
 */
export class ItemCodes {
  #mul: bigint;
  #add: bigint;
  #alphabets: string[];

  /** Codes for one seed. */
  constructor(seed: number) {
    const rng = new Rng(seed);
    // An odd multiplier that is not a multiple of 3 is invertible modulo 36^7 = 2^14 · 3^14.
    let mul = BigInt(rng.u32()) * 65536n + BigInt(rng.u32() & 0xffff);
    mul = mul % CODE_SPACE;
    while (mul % 2n === 0n || mul % 3n === 0n) mul += 1n;
    this.#mul = mul;
    this.#add = (BigInt(rng.u32()) * 17n) % CODE_SPACE;
    this.#alphabets = [];
    for (let p = 0; p < 7; p++) {
      const chars = ALPHABET.split("");
      for (let i = chars.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [chars[i], chars[j]] = [chars[j]!, chars[i]!];
      }
      this.#alphabets.push(chars.join(""));
    }
  }

  /** The code of purchase order `id` (1 ≤ id < 36^7); distinct ids give distinct codes. */
  code(id: number): string {
    let v = (BigInt(id) * this.#mul + this.#add) % CODE_SPACE;
    const d: number[] = [];
    for (let i = 0; i < 7; i++) {
      d.push(Number(v % 36n));
      v /= 36n;
    }
    let out = "";
    for (let i = 0; i < 7; i++) out += this.#alphabets[i]![d[(i * 3) % 7]!];
    return out;
  }
}

/** A random 7-character `A–Z0–9` item code (for single new purchase orders; see {@link ItemCodes} for bulk). */
export function randomItemCode(rng: Rng): string {
  let code = "";
  for (let i = 0; i < 7; i++) code += ALPHABET[rng.int(0, 35)];
  return code;
}
