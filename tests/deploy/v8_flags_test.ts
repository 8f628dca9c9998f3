/**
 * The stages' V8 flags have one home, lambda/bootstrap's `STAGE_V8_FLAGS` line (tools/lambda/v8_flags.ts): the
 * deno tasks that run stages use exactly those flags, so production, local runs and the benchmark cannot drift.
 */
import assert from "node:assert/strict";
import { parseStageV8Flags, stageV8Flags } from "../../tools/lambda/v8_flags.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("lambda/bootstrap sets the stages' heap limits and exposes collections (lib/io/external_memory.ts)", async () => {
  assert.deepEqual(await stageV8Flags(root), [
    "--v8-flags=--expose-gc,--max-old-space-size=192,--max-semi-space-size=8",
  ]);
});

Deno.test("the deno tasks that run stages use the bootstrap's V8 flags", async () => {
  const flags = (await stageV8Flags(root)).join(" ");
  const tasks = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks as Record<string, string>;
  assert.equal(tasks.etl, `deno run -A ${flags} main/etl.ts`);
  assert.equal(tasks.chunks, `deno run -A ${flags} main/chunks_cli.ts`);
  for (const [name, command] of Object.entries(tasks)) {
    if (command.includes("--v8-flags")) assert.ok(command.includes(flags), `task ${name}: ${command}`);
  }
});

Deno.test("parseStageV8Flags() reads the line, and nothing from a bootstrap without one", () => {
  assert.deepEqual(parseStageV8Flags('#!/bin/sh\nSTAGE_V8_FLAGS="--a=1  --b"\nexec x\n'), ["--a=1", "--b"]);
  assert.deepEqual(parseStageV8Flags("#!/bin/sh\nexec deno run index.js\n"), []);
  assert.throws(() => parseStageV8Flags('STAGE_V8_FLAGS="--a rm"'), {
    message: 'STAGE_V8_FLAGS has "rm", which is not a flag',
  });
});

Deno.test("stageV8Flags() of a folder without a bootstrap is empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await stageV8Flags(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
