/**
 * The stages' V8 flags have one home, lambda/bootstrap's `STAGE_V8_FLAGS` line (tools/lambda/v8_flags.ts): the
 * deno tasks that run stages use exactly those flags, so production, local runs and the benchmark cannot drift.
 */
import assert from "node:assert/strict";
import { parseStageEnv, parseStageV8Flags, stageEnv, stageV8Flags } from "../../tools/lambda/v8_flags.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("lambda/bootstrap sets the stages' heap limits and exposes collections (lib/io/external_memory.ts)", async () => {
  assert.deepEqual(await stageV8Flags(root), [
    "--v8-flags=--expose-gc,--max-old-space-size=192,--max-semi-space-size=8",
  ]);
});

Deno.test("the deno tasks that run stages use the bootstrap's V8 flags", async () => {
  const flags = (await stageV8Flags(root)).join(" ");
  const env = Object.entries(await stageEnv(root)).map(([k, v]) => `${k}=${v} `).join("");
  assert.equal(env, "MALLOC_ARENA_MAX=1 ");
  const tasks = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks as Record<string, string>;
  assert.equal(tasks.etl, `${env}deno run -A ${flags} main/etl.ts`);
  assert.equal(tasks.chunks, `${env}deno run -A ${flags} main/chunks_cli.ts`);
  for (const [name, command] of Object.entries(tasks)) {
    if (command.includes("--v8-flags")) assert.ok(command.includes(flags), `task ${name}: ${command}`);
  }
});

Deno.test("parseStageEnv() reads the bootstrap's malloc exports and nothing else", () => {
  assert.deepEqual(
    parseStageEnv(
      "export HOME=/tmp\nexport MALLOC_ARENA_MAX=1\n# export MALLOC_TOP_PAD_=0\nexport MALLOC_X=a\n",
    ),
    { MALLOC_ARENA_MAX: "1" },
  );
  assert.deepEqual(parseStageEnv("#!/bin/sh\nexec deno run index.js\n"), {});
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
