import assert from "node:assert/strict";
import { ProgressReporter } from "./progress.ts";

Deno.test("ProgressReporter: a line per tick with table, rows, rows/s, phase and elapsed time (not a terminal)", () => {
  let now = 1000;
  const out: string[] = [];
  const r = new ProgressReporter({ write: (t) => out.push(t), tty: false, now: () => now });
  r.start();
  r.stop(); // the timer is not needed: ticks are driven by hand
  now = 3000;
  r.tick();
  r.callback({ stage: "load", table: "fact_sales_order", rows: 0, phase: "copy" });
  now = 5000;
  r.callback({ stage: "load", table: "fact_sales_order", rows: 16_384, phase: "copy" });
  r.tick();
  r.callback({ stage: "load", table: "fact_sales_order", rows: 20_000, phase: "merge" });
  now = 9000;
  r.tick();
  r.callback({ stage: "load", table: "fact_payment", rows: 0, phase: "copy" });
  r.tick();
  assert.deepEqual(out, [
    "working... 2 s\n",
    "load fact_sales_order: 16,384 rows, 8,192 rows/s (copy), 4 s\n",
    "load fact_sales_order: 20,000 rows, 3,333 rows/s (merge), 8 s\n",
    "load fact_payment: 0 rows (copy), 8 s\n",
  ]);
});

Deno.test("ProgressReporter: on a terminal the line is redrawn in place and cleared at the end", () => {
  const out: string[] = [];
  let now = 0;
  const r = new ProgressReporter({ write: (t) => out.push(t), tty: true, now: () => now }).start();
  r.callback({ stage: "ingest", table: "sales_order", rows: 8192, phase: "read" });
  now = 1000;
  r.tick();
  r.stop();
  assert.deepEqual(out, [
    "\r\x1b[2Kingest sales_order: 8,192 rows, 8,192 rows/s (read), 1 s",
    "\r\x1b[2K",
  ]);
});
