/**
 * A row far past what one row may carry, heavy in escapes (every character a tab: 2 characters of JSON, 3 of COPY
 * text), read by the ingest process under the Lambda's heap cap: the run stops naming the row, exit 3, and
 * changes nothing, instead of "Fatal JavaScript out of memory" with no row named.
 *
 * @module
 */
import assert from "node:assert/strict";
import { denoRun, ingest, open, type Pipeline, ROOT } from "../adversarial/_helpers.ts";
import { stageLaunch } from "../../tools/lambda/v8_flags.ts";
import { INGEST_POINTER_KEY } from "../../lib/run/mod.ts";

/** `main/ingest.ts` on `p` with the Lambda's V8 flags and malloc settings (lambda/bootstrap's). */
async function cappedIngest(p: Pipeline): Promise<{ code: number; stderr: string }> {
  const launch = await stageLaunch(ROOT);
  assert.ok(
    launch.flags.some((f) => f.includes("--max-old-space-size=")),
    "the stage's heap is capped as in AWS",
  );
  return await denoRun(p, [...launch.flags, "main/ingest.ts"], launch.env);
}

Deno.test("a 9M-character row of escapes stops the ingest (under the Lambda's heap cap) naming the row, changing nothing", async () => {
  const p = await open("huge");
  try {
    await p.src.sql`UPDATE design SET design_name = repeat(E'\t', 9000000) WHERE design_id = 1`;
    const { code, stderr } = await cappedIngest(p);
    assert.equal(code, 3, stderr);
    assert.match(
      stderr,
      /Row design 1 is at least 27,000,\d+ bytes as read from ToteSys, more than the 8,388,608 a row may have/,
    );
    assert.doesNotMatch(stderr, /Fatal JavaScript|heap out of memory/i);
    assert.equal(await p.ingestion.exists(INGEST_POINTER_KEY), false, "no state written");
    // fixed in ToteSys, the next run reads it
    await p.src.sql`UPDATE design SET design_name = 'Fixed' WHERE design_id = 1`;
    assert.equal((await ingest(p)).status, "committed");
  } finally {
    await p.close();
  }
});

Deno.test("a 9M-character row of escapes changed after a first run stops the incremental ingest the same way (rows read by key)", async () => {
  const p = await open("huge2");
  try {
    assert.equal((await ingest(p)).status, "committed");
    await p.src.sql`UPDATE design SET design_name = repeat(E'\t', 9000000) WHERE design_id = 1`;
    const { code, stderr } = await cappedIngest(p);
    assert.equal(code, 3, stderr);
    assert.match(
      stderr,
      /Row design 1 is at least 18,000,\d+ bytes as read from ToteSys, more than the 8,388,608/,
    );
    await p.src.sql`UPDATE design SET design_name = 'Fixed' WHERE design_id = 1`;
    assert.equal((await ingest(p)).status, "committed");
  } finally {
    await p.close();
  }
});
