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

Deno.test("ProgressReporter: once a second run is reported (a catch-up), each line names its run", () => {
  let now = 0;
  const out: string[] = [];
  const r = new ProgressReporter({ write: (t) => out.push(t), tty: false, now: () => now });
  r.start();
  r.stop();
  r.callback({
    stage: "transform",
    table: "dim_date",
    rows: 0,
    phase: "write",
    runId: "20261202T142632597Z-2dbbbb",
  });
  now = 3000;
  r.tick();
  r.callback({
    stage: "transform",
    table: "dim_date",
    rows: 0,
    phase: "write",
    runId: "20261202T142801763Z-d42a97",
  });
  now = 6000;
  r.tick();
  assert.deepEqual(out, [
    "transform dim_date: 0 rows (write), 3 s\n",
    "transform dim_date: 0 rows (write), run 20261202T142801763Z-d42a97, 6 s\n",
  ]);
});
