/**
 * A large Parquet file read in place: a Blob-like view over an object whose reads are ranged GETs pinned to one
 * ETag, and a streamed SHA-256 pass over the same version. The load so never holds a whole large file (the 34 MB
 * fact_payment file at 1M orders), only the row group being decoded.
 *
 * Versions: opening the view reads the file's tail (the Parquet footer) and keeps that answer's ETag; every later
 * ranged read and the hash pass are pinned to it (If-Match, and the answer's ETag compared, since s3rver ignores
 * If-Match). An object replaced between the reads fails the load with an `ObjectChanged` error; it is never
 * decoded as a mix of two versions, and the digest checked is that of the version decoded.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ObjectStore } from "../io/object_store.ts";
import type { BlobLike } from "../parquet/mod.ts";
import type { ManifestFile } from "../run/manifest.ts";
import { checkDigest } from "./plan.ts";

/** Bytes read with the view's first GET, from the end of the file: the footer, in one request. */
export const TAIL_BYTES = 128 * 1024;

/** What the views of one object share: where it is, its pinned version, its tail, and the reads made. */
interface Source {
  store: ObjectStore;
  key: string;
  size: number;
  etag: string;
  tail: Uint8Array;
  /** Ranged GETs made after the tail's. */
  requests: number;
  /** The first failed read's error. */
  failure?: unknown;
  /** Bytes fetched ahead by {@link RangedObject.prefetch} (one row group), and where they start. */
  ahead?: { start: number; bytes: Uint8Array } | undefined;
  /** The next row group's GET, started while this one decodes (its rejection is kept until awaited). */
  next?: { start: number; end: number; read: Promise<Uint8Array> } | undefined;
}

/** A Blob `slice` position (negative: from the end), clamped to `[0, size]`. */
function position(at: number | undefined, fallback: number, size: number): number {
  if (at === undefined) return fallback;
  return at < 0 ? Math.max(size + at, 0) : Math.min(at, size);
}

/** The bytes of `view` as an ArrayBuffer of exactly that length (no copy when it already is one). */
function toArrayBuffer(view: Uint8Array): ArrayBuffer {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? view.buffer as ArrayBuffer
    : view.slice().buffer as ArrayBuffer;
}

/**
 * Part of an object (all of it, from {@link RangedObject.open}), read by ranged GETs as the decoder asks:
 * `size`, `slice` and `arrayBuffer`, as parquet-wasm's `fromFile` uses a Blob.
 */
export class RangedObject implements BlobLike {
  private constructor(
    private readonly source: Source,
    private readonly start: number,
    readonly size: number,
  ) {}

  /**
   * Opens a view of the object at `key`, of `size` bytes, reading its last {@link TAIL_BYTES} (kept, so the
   * footer costs one GET) and pinning the view to that answer's ETag.
   *
   * @throws the store's errors: NoSuchKey when there is no object, a range error when it is shorter than `size`.
   */
  static async open(store: ObjectStore, key: string, size: number): Promise<RangedObject> {
    const tailStart = Math.max(0, size - TAIL_BYTES);
    const { body, etag } = await store.getRange(key, tailStart, size);
    return new RangedObject({ store, key, size, etag, tail: body, requests: 0 }, 0, size);
  }

  /** The ETag every read of this view is pinned to. */
  get etag(): string {
    return this.source.etag;
  }

  /** Ranged GETs made after the first (the tail's). */
  get requests(): number {
    return this.source.requests;
  }

  /** The bytes from `start` to `end` of this view (Blob semantics: negative from the end, clamped). */
  slice(start?: number, end?: number): RangedObject {
    const a = position(start, 0, this.size);
    const b = Math.max(a, position(end, this.size, this.size));
    return new RangedObject(this.source, this.start + a, b - a);
  }

  /**
   * The first read that failed (the object replaced, S3 unreachable), or `undefined`. A failed read does not
   * reject: parquet-wasm turns a rejected read (and bytes it cannot decode, such as zeros) into a WebAssembly trap
   * (`RuntimeError: unreachable`) that escapes as an uncaught error. It gives no bytes instead, which the decoder
   * fails on cleanly; the caller throws this error when decoding fails, and checks it after decoding succeeds
   * ({@link RangedObject.check}).
   */
  get failure(): unknown {
    return this.source.failure;
  }

  /** Throws the first failed read's error, if any (see {@link RangedObject.failure}). */
  check(): void {
    if (this.source.failure !== undefined) throw this.source.failure;
  }

  /**
   * The view's bytes: from the kept tail when they lie in it, else one ranged GET pinned to the ETag. Never
   * rejects: on failure, no bytes, and the error kept in {@link RangedObject.failure}.
   */
  async arrayBuffer(): Promise<ArrayBuffer> {
    try {
      return await this.read();
    } catch (err) {
      this.source.failure ??= err;
      return new ArrayBuffer(0);
    }
  }

  /**
   * Fetches bytes `start` to `end` of the object (one ranged GET pinned to the ETag) and keeps them, in place of
   * the bytes kept before, for the reads within them: a row group, before the decoder reads it.
   *
   * @throws the store's error (`ObjectChanged` when the object was replaced), cleanly, outside the decoder.
   */
  async prefetch(start: number, end: number, nextEnd?: number): Promise<void> {
    const source = this.source;
    source.ahead = undefined; // the previous row group's bytes are not needed any more
    const next = source.next;
    source.next = undefined;
    if (end > start) {
      const read = next && next.start === start && next.end === end ? next.read : this.fetch(start, end);
      source.ahead = { start, bytes: await read };
    }
    // the next row group is fetched while this one decodes: one more row group held, the GET's wait hidden
    if (nextEnd !== undefined && nextEnd > end) {
      source.next = { start: end, end: nextEnd, read: this.fetch(end, nextEnd) };
    }
  }

  /** One ranged GET pinned to the ETag; a rejection not yet awaited is marked handled (it surfaces when awaited). */
  private fetch(start: number, end: number): Promise<Uint8Array> {
    const { store, key, etag } = this.source;
    this.source.requests++;
    const read = store.getRange(key, start, end, etag).then((r) => r.body);
    read.catch(() => {});
    return read;
  }

  /** The view's bytes, or the store's error. */
  private async read(): Promise<ArrayBuffer> {
    const { store, key, size, etag, tail, ahead } = this.source;
    if (this.size === 0) return new ArrayBuffer(0);
    const tailStart = size - tail.length;
    if (this.start >= tailStart) {
      const from = this.start - tailStart;
      return tail.slice(from, from + this.size).buffer as ArrayBuffer;
    }
    if (ahead && this.start >= ahead.start && this.start + this.size <= ahead.start + ahead.bytes.length) {
      const from = this.start - ahead.start;
      return ahead.bytes.slice(from, from + this.size).buffer as ArrayBuffer;
    }
    this.source.requests++;
    const { body } = await store.getRange(key, this.start, this.start + this.size, etag);
    return toArrayBuffer(body);
  }
}

/**
 * Streams the object at `file.key`, pinned to `etag`, through SHA-256 (constant memory) and checks the digest
 * against the manifest's.
 *
 * @throws Error naming the key, the digest found and the manifest's when they differ (a size other than the
 *   manifest's gives another digest); Error named `ObjectChanged` when the object is no longer that version.
 */
export async function checkObjectDigest(store: ObjectStore, file: ManifestFile, etag: string): Promise<void> {
  const hash = createHash("sha256");
  for await (const chunk of store.stream(file.key, etag)) hash.update(chunk);
  checkDigest(file, hash.digest("hex"));
}
