import assert from "node:assert/strict";
import { readAhead } from "./read_ahead.ts";
import { ReaderPool } from "./scan.ts";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("readAhead() keeps at most `width` items in flight and finishes them in order", async () => {
  let inFlight = 0;
  let most = 0;
  const finished: number[] = [];
  await readAhead([5, 1, 4, 2, 3], 2, async (ms) => {
    most = Math.max(most, ++inFlight);
    await tick(ms);
    return ms;
  }, (item, value) => {
    inFlight--;
    finished.push(item * 10 + value);
    return Promise.resolve();
  });
  assert.equal(most, 2);
  assert.deepEqual(finished, [55, 11, 44, 22, 33]);
});

Deno.test("readAhead() waits for every started item before throwing the first failure in order", async () => {
  const settled: number[] = [];
  await assert.rejects(
    readAhead([1, 2, 3, 4], 2, async (n) => {
      await tick(n === 2 ? 20 : 1);
      settled.push(n);
      if (n === 3) throw new Error("read 3 failed");
      return n;
    }, (n) => n === 1 ? Promise.reject(new Error("finish 1 failed")) : Promise.resolve()),
    /finish 1 failed/,
  );
  assert.deepEqual(settled, [1, 2], "item 2 (in flight) settled before the throw; 3 and 4 never started");
});

Deno.test("ReaderPool gives each reader to one user at a time, and a reader added later to a waiting one", async () => {
  const a = { sql: "a" as never, reference: 1 };
  const pool = new ReaderPool([a]);
  const order: string[] = [];
  const use = (name: string) =>
    pool.use(async (r) => {
      order.push(`${name}:${r.reference}`);
      await tick(5);
    });
  const all = Promise.all([use("x"), use("y"), use("z")]);
  pool.add({ sql: "b" as never, reference: 2 });
  await all;
  assert.deepEqual(order, ["x:1", "y:2", "z:1"]);
});
