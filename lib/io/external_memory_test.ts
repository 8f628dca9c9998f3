import assert from "node:assert/strict";
import {
  RELEASE_AFTER_BYTES,
  releaseDue,
  WATCH_INTERVAL_MS,
  watchExternalMemory,
} from "./external_memory.ts";

Deno.test("releaseDue() is true from 8 MiB of growth over the floor on", () => {
  assert.equal(releaseDue(20 + RELEASE_AFTER_BYTES, 20), true);
  assert.equal(releaseDue(20 + RELEASE_AFTER_BYTES - 1, 20), false);
  assert.equal(releaseDue(5, 20), false);
});

Deno.test("watchExternalMemory() collects the young generation once external memory grows, and stops", async () => {
  let external = 100;
  const calls: unknown[] = [];
  const stop = watchExternalMemory((options) => {
    calls.push(options);
    external = 100; // the collection frees the buffers
  }, () => external);
  try {
    await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS * 3));
    assert.equal(calls.length, 0, "no growth, no collection");
    external = 100 + RELEASE_AFTER_BYTES;
    const deadline = Date.now() + 5_000; // a busy machine delays timers
    while (calls.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS));
    }
    assert.deepEqual(calls, [{ type: "minor" }]);
  } finally {
    stop();
  }
  external = 100 + 2 * RELEASE_AFTER_BYTES;
  await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS * 3));
  assert.equal(calls.length, 1, "stopped: no more collections");
});

Deno.test("watchExternalMemory() starts nothing without a collector (a process without --expose-gc)", () => {
  let read = 0;
  const stop = watchExternalMemory(undefined, () => read++);
  stop();
  assert.equal(read, 0);
});

Deno.test("a stage process exposes the collector the watch uses (lambda/bootstrap's flags)", async () => {
  const { stageV8Flags } = await import("../../tools/lambda/v8_flags.ts");
  const flags = await stageV8Flags(new URL("../../", import.meta.url).pathname);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", ...flags, "console.log(typeof globalThis.gc)"],
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "function");
});
