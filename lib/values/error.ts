/**
 * The one error the values module throws: which value failed, and why, as a code a caller can map to its own
 * words (the transform's bad-row reasons) and as a message.
 *
 * @module
 */

/** Why a value was refused. */
export type ValueProblem =
  | "shape" // not in the expected text form
  | "calendar" // the right shape, but no such day (February 30) or time of day (25:00)
  | "decimals" // more decimal places than the scale: it would have to be rounded
  | "range"; // outside what the type holds

/**
 * A value that cannot be parsed or formatted exactly. The message quotes the value and names the column:
 * `Cannot encode unit_price "2.675": more than 2 decimal places` (parsing; "encode" because the Parquet codec
 * was its first user and its messages are kept) or `Cannot decode date 2932897: not a day between ...`
 * (formatting).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDate, ValueError } from "./mod.ts";
 * assert.throws(() => parseDate("2024-02-30", "agreed_payment_date"), (e) =>
 *   e instanceof ValueError && e.problem === "calendar" && e.value === "2024-02-30");
 * ```
 */
export class ValueError extends Error {
  /**
   * @param column the column (or "value") the text was meant for
   * @param value the refused value as given
   * @param problem the kind of refusal, see {@link ValueProblem}
   * @param reason what is wrong, in words (ends the message)
   * @param verb `encode` for parsing text, `decode` for formatting a number
   */
  constructor(
    readonly column: string,
    readonly value: unknown,
    readonly problem: ValueProblem,
    readonly reason: string,
    verb: "encode" | "decode" = "encode",
  ) {
    super(
      verb === "encode"
        ? `Cannot encode ${column} ${JSON.stringify(value)}: ${reason}`
        : `Cannot decode ${column} ${String(value)}: ${reason}`,
    );
    this.name = "ValueError";
  }
}
