import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { COPY_OUT_CHUNK, COPY_OUT_HIGH_WATER, copyOutChunks } from "./copy_out.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c)).join("");

/** A Readable whose rows arrive in bursts, like a socket read's worth of CopyData messages. */
function bursts(rowsPerBurst: number, burstCount: number, fail?: Error): Readable {
  const r = new Readable({ read() {} });
  let burst = 0;
  const next = () => {
    if (burst === burstCount) {
      if (fail) r.destroy(fail);
      else r.push(null);
      return;
    }
    for (let i = 0; i < rowsPerBurst; i++) r.push(enc(`${burst * rowsPerBurst + i}\trow\n`));
    burst++;
    setTimeout(next, 1);
  };
  setTimeout(next, 1);
  return r;
}

Deno.test("copyOutChunks gathers the rows of each burst into one chunk, same bytes in the same order", async () => {
  const chunks = await Array.fromAsync(copyOutChunks(bursts(50, 4)));
  const want = Array.from({ length: 200 }, (_, i) => `${i}\trow\n`).join("");
  assert.equal(dec(chunks), want);
  assert.ok(chunks.length <= 8, `expected about one chunk per burst, got ${chunks.length}`);
});

Deno.test("copyOutChunks cuts a large burst into chunks of at most COPY_OUT_CHUNK bytes", async () => {
  const chunks = await Array.fromAsync(copyOutChunks(bursts(10_000, 2)));
  const text = dec(chunks);
  assert.equal(text.split("\n").length, 20_001);
  assert.ok(text.length > 4 * COPY_OUT_CHUNK);
  assert.ok(chunks.every((c) => c.length <= COPY_OUT_CHUNK), `sizes ${chunks.map((c) => c.length)}`);
  assert.ok(chunks.length < 40, `${chunks.length} chunks`);
});

Deno.test("copyOutChunks yields what arrived, then throws the stream's error", async () => {
  const got: Uint8Array[] = [];
  await assert.rejects(
    async () => {
      for await (const c of copyOutChunks(bursts(3, 2, new Error("connection lost")))) got.push(c);
    },
    /connection lost/,
  );
  assert.equal(dec(got), "0\trow\n1\trow\n2\trow\n3\trow\n4\trow\n5\trow\n");
});

Deno.test("copyOutChunks refuses a stream that closes without ending", async () => {
  const r = new Readable({ read() {} });
  r.push(enc("1\ta\n"));
  setTimeout(() => r.destroy(), 5);
  await assert.rejects(Array.fromAsync(copyOutChunks(r)), /closed before its end/);
});

Deno.test("copyOutChunks destroys the stream when the consumer stops early", async () => {
  const r = bursts(10, 1000);
  for await (const _ of copyOutChunks(r)) break;
  assert.equal(r.destroyed, true);
});

Deno.test("copyOutChunks pauses the stream while a high-water mark of bytes waits, and resumes it when taken", async () => {
  const r = new Readable({ read() {} });
  const calls: string[] = [];
  const [pause, resume] = [r.pause.bind(r), r.resume.bind(r)];
  r.pause = () => (calls.push("pause"), pause());
  r.resume = () => (calls.push("resume"), resume());
  const big = new Uint8Array(COPY_OUT_HIGH_WATER / 4).fill(65);
  setTimeout(() => {
    for (let i = 0; i < 8; i++) r.push(big);
    r.push(null);
  }, 1);
  const sizes = (await Array.fromAsync(copyOutChunks(r))).map((c) => c.length);
  assert.equal(sizes.reduce((a, b) => a + b, 0), 2 * COPY_OUT_HIGH_WATER);
  assert.ok(calls.includes("pause"), `never paused: ${calls.join(",")}`);
  assert.ok(
    calls.lastIndexOf("resume") > calls.indexOf("pause"),
    `not resumed after pausing: ${calls.join(",")}`,
  );
  assert.ok(Math.max(...sizes) <= COPY_OUT_HIGH_WATER * 2, `a chunk of ${Math.max(...sizes)} bytes`);
});
