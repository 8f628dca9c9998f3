import assert from "node:assert/strict";
import { earlierPending, pendingRunIds, type RunLink } from "./pending.ts";

function chainOf(ids: string[]): Map<string, RunLink> {
  return new Map(ids.map((id, i) => [id, { run_id: id, previous_run_id: i === 0 ? null : ids[i - 1]! }]));
}

function lookups(runs: Map<string, RunLink>, done: Set<string>) {
  return {
    isDone: (id: string) => done.has(id),
    manifest: (id: string, follower: string) => {
      const m = runs.get(id);
      if (!m) throw new Error(`Run ${follower} follows run ${id}, which has no manifest`);
      return m;
    },
  };
}

Deno.test("earlierPending() is empty for the first run and when the previous run is done", async () => {
  const runs = chainOf(["a", "b", "c"]);
  assert.deepEqual(await earlierPending(runs.get("a")!, lookups(runs, new Set())), []);
  assert.deepEqual(await earlierPending(runs.get("c")!, lookups(runs, new Set(["b"]))), []);
});

Deno.test("earlierPending() lists every earlier run not done, oldest first, stopping at the first done", async () => {
  const runs = chainOf(["a", "b", "c", "d", "e"]);
  // b is done though a is not: the walk stops at b (what b needed was applied when b was)
  const pending = await earlierPending(runs.get("e")!, lookups(runs, new Set(["b"])));
  assert.deepEqual(pending.map((m) => m.run_id), ["c", "d"]);
  const all = await earlierPending(runs.get("e")!, lookups(runs, new Set()));
  assert.deepEqual(all.map((m) => m.run_id), ["a", "b", "c", "d"]);
});

Deno.test("earlierPending() accepts async lookups", async () => {
  const runs = chainOf(["a", "b", "c"]);
  const pending = await earlierPending(runs.get("c")!, {
    isDone: (id) => Promise.resolve(id === "z"),
    manifest: (id) => Promise.resolve(runs.get(id)!),
  });
  assert.deepEqual(pending.map((m) => m.run_id), ["a", "b"]);
});

Deno.test("earlierPending() passes on the lookup's error for a gap, naming both runs", async () => {
  const runs = chainOf(["a", "b", "c"]);
  runs.delete("b");
  await assert.rejects(
    earlierPending(runs.get("c")!, lookups(runs, new Set())),
    /Run c follows run b, which has no manifest/,
  );
});

Deno.test("earlierPending() stops on links that loop instead of walking for ever", async () => {
  const runs = new Map<string, RunLink>([
    ["x", { run_id: "x", previous_run_id: "y" }],
    ["y", { run_id: "y", previous_run_id: "x" }],
    ["z", { run_id: "z", previous_run_id: "y" }],
  ]);
  await assert.rejects(earlierPending(runs.get("z")!, lookups(runs, new Set())), /a loop/);
});

Deno.test("pendingRunIds() keeps the runs not done, in run order, once each", () => {
  assert.deepEqual(pendingRunIds(["c", "a", "b", "a"], new Set(["b"])), ["a", "c"]);
  assert.deepEqual(pendingRunIds([], new Set()), []);
});
