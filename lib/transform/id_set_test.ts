import assert from "node:assert/strict";
import { IdSet } from "./id_set.ts";

Deno.test("IdSet keeps consecutive ids as one range and answers membership", () => {
  const s = new IdSet();
  for (let i = 1; i <= 1_000_000; i++) s.add(i);
  s.add(1_000_005);
  assert.deepEqual(s.toJSON(), [[1, 1_000_000], [1_000_005, 1_000_005]]);
  assert.equal(s.has(1), true);
  assert.equal(s.has(999_999), true);
  assert.equal(s.has(1_000_001), false);
  assert.equal(s.has(0), false);
});

Deno.test("IdSet merges out-of-order ids and saved ranges", () => {
  const s = new IdSet([[1, 3], [10, 12]]);
  for (const id of [5, 4, 2, 13, 9, 20]) s.add(id);
  assert.equal(s.has(4), true);
  assert.equal(s.has(7), false);
  assert.deepEqual(s.toJSON(), [[1, 5], [9, 13], [20, 20]]);
  assert.deepEqual(new IdSet(s.toJSON()).toJSON(), [[1, 5], [9, 13], [20, 20]]);
});

Deno.test("IdSet keeps ids added in any order as ranges, merging them when its buffer fills", () => {
  const s = new IdSet();
  const ids = Array.from({ length: 200_000 }, (_, i) => i + 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  for (const id of ids) s.add(id);
  s.add(500_000);
  s.add(7);
  assert.equal(s.has(123_456), true);
  assert.equal(s.has(200_001), false);
  assert.deepEqual(s.toJSON(), [[1, 200_000], [500_000, 500_000]]);
});
