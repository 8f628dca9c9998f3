/**
 * The bytes of a `COPY … TO STDOUT` as postgres.js gives them (`.readable()`, a Node `Readable` that emits one
 * chunk per CopyData message, i.e. per row), gathered into larger chunks.
 *
 * Why: iterating that Readable with `for await` costs a round of promises per row. At 1M orders the ingest read
 * 4.3M rows one chunk each; the payment table alone (1.43M rows, 448 MB) took 2.4 CPU seconds to split into
 * lines that way, and 1.7 s when the rows a socket read brings (about 27 of them) arrive as one chunk
 * (`.local` measurement, PostgreSQL 18 on loopback, issue 15).
 *
 * @module
 */
import type { Readable } from "node:stream";

/**
 * The size the rows are gathered into. Small enough that the text decoded from one chunk stays out of V8's
 * large-object space (a run decoding 1 MiB chunks peaked at 300 MB RSS instead of 250), large enough that the
 * per-chunk costs vanish (a row is ~100–300 bytes).
 */
export const COPY_OUT_CHUNK = 32 * 1024;

/** Bytes held before the Readable is paused (backpressure): the most this buffers beyond one socket read. */
export const COPY_OUT_HIGH_WATER = 128 * 1024;

/**
 * Yields the Readable's bytes, each chunk the concatenation of row-sized chunks that arrived since the last were
 * taken, up to {@link COPY_OUT_CHUNK} bytes: same bytes, same order, fewer and larger chunks. The Readable is paused while
 * {@link COPY_OUT_HIGH_WATER} bytes or more wait, and destroyed when the consumer stops early.
 *
 * @param readable a `COPY … TO STDOUT` stream (postgres.js `.readable()`), not yet read.
 * @throws the Readable's error (e.g. the query failed, the connection was lost); an Error "… closed before its
 *   end" when it closes without ending.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Readable } from "node:stream";
 * import { copyOutChunks } from "./copy_out.ts";
 *
 * const rows = ["1\ta\n", "2\tb\n", "3\tc\n"].map((s) => new TextEncoder().encode(s));
 * let text = "";
 * for await (const chunk of copyOutChunks(Readable.from(rows))) text += new TextDecoder().decode(chunk);
 * assert.equal(text, "1\ta\n2\tb\n3\tc\n");
 * ```
 */
export async function* copyOutChunks(readable: Readable): AsyncGenerator<Uint8Array> {
  let waiting: Uint8Array[] = [];
  let bytes = 0;
  let ended = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  readable.on("data", (chunk: Uint8Array) => {
    waiting.push(chunk);
    bytes += chunk.length;
    if (bytes >= COPY_OUT_HIGH_WATER) readable.pause();
    poke();
  });
  readable.on("end", () => {
    ended = true;
    poke();
  });
  readable.on("error", (error) => {
    failure ??= { error };
    poke();
  });
  readable.on("close", () => {
    if (!ended) failure ??= { error: new Error("The COPY stream from the database closed before its end") };
    poke();
  });
  try {
    while (true) {
      if (waiting.length > 0) {
        const taken = waiting;
        waiting = [];
        bytes = 0;
        if (readable.isPaused()) readable.resume();
        yield* gathered(taken);
        continue;
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended) readable.destroy();
  }
}

/** `chunks` joined into chunks of about {@link COPY_OUT_CHUNK} bytes (a larger one alone), in order. */
function* gathered(chunks: Uint8Array[]): Generator<Uint8Array> {
  let from = 0;
  while (from < chunks.length) {
    let to = from;
    let size = 0;
    while (to < chunks.length && (size === 0 || size + chunks[to]!.length <= COPY_OUT_CHUNK)) {
      size += chunks[to++]!.length;
    }
    if (to - from === 1) yield chunks[from]!;
    else {
      const out = new Uint8Array(size);
      let at = 0;
      for (let i = from; i < to; i++) {
        out.set(chunks[i]!, at);
        at += chunks[i]!.length;
      }
      yield out;
    }
    from = to;
  }
}
