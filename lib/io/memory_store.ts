/**
 * An in-memory {@link ObjectStore}: what the S3 adapter does, in a `Map`, so that the stages' cores and tests run
 * without services. Listing follows S3: keys in UTF-8 byte order, `startAfter` exclusive.
 *
 * @module
 */
import { objectChanged, type ObjectRange, type ObjectStore } from "./object_store.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Version tags of stored bodies: each `put` or `upload` stores a new array, so a replaced object gets a new tag. */
const etags = new WeakMap<Uint8Array, string>();
let nextEtag = 0;

/** The version tag of a stored body (made on first use). */
function etagOf(body: Uint8Array): string {
  let etag = etags.get(body);
  if (etag === undefined) etags.set(body, etag = `"v${++nextEtag}"`);
  return etag;
}

/** Compares two keys in UTF-8 byte order (the order S3 lists keys in). */
function byteOrder(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Objects in memory. Stores under one another (see {@link MemoryStore.under}) share the same objects.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "./memory_store.ts";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore();
 * await store.put("_manifests/ingest/a.json", JSON.stringify({ run_id: "a" }));
 * assert.deepEqual(await store.getJson("_manifests/ingest/a.json"), { run_id: "a" });
 * assert.deepEqual(await store.list("_manifests/"), ["_manifests/ingest/a.json"]);
 * assert.equal(await store.get("missing"), undefined);
 * ```
 */
export class MemoryStore implements ObjectStore {
  /**
   * An empty store, or a view of `objects` under `root`.
   *
   * @param objects the objects, by full key (shared with the stores made by {@link MemoryStore.under})
   * @param root a key prefix ending in `/`, or `""`
   * @throws Error when `root` is not empty and does not end in `/`
   */
  constructor(
    /** The objects by full key (root included), with their content type: shared with the stores under this one. */
    readonly objects: Map<string, { body: Uint8Array; contentType: string }> = new Map(),
    /** The key prefix this store reads, writes and lists under (`""` or ending in `/`). */
    readonly root = "",
  ) {
    if (root !== "" && !root.endsWith("/")) throw new Error(`Store root "${root}" must end with "/"`);
  }

  /** The same objects under `root` (appended to this store's). */
  under(root: string): MemoryStore {
    return new MemoryStore(this.objects, this.root + root);
  }

  /** Writes `body` at `key` (a copy: later changes to the caller's array do not reach the store). */
  put(key: string, body: Uint8Array | string, contentType = "application/json"): Promise<void> {
    const bytes = typeof body === "string" ? encoder.encode(body) : body.slice();
    this.objects.set(this.root + key, { body: bytes, contentType });
    return Promise.resolve();
  }

  /** Reads `body` to its end, then writes it at `key` (nothing is written when `body` throws). */
  async upload(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<void> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk.slice());
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    this.objects.set(this.root + key, { body: bytes, contentType });
  }

  /** A copy of the object at `key`, or `undefined`. */
  get(key: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.objects.get(this.root + key)?.body.slice());
  }

  /** The object at `key` parsed as JSON, or `undefined`. */
  async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.get(key);
    return bytes === undefined ? undefined : JSON.parse(decoder.decode(bytes)) as T;
  }

  /** The stored object at `key`, checked against `ifMatch`; throws as {@link MemoryStore.stream} says. */
  private pinned(key: string, ifMatch: string | undefined): Uint8Array {
    const body = this.objects.get(this.root + key)?.body;
    if (body === undefined) {
      throw Object.assign(new Error(`No object at "${this.root + key}"`), { name: "NoSuchKey" });
    }
    if (ifMatch !== undefined && etagOf(body) !== ifMatch) {
      throw objectChanged(`"${this.root + key}"`, ifMatch, etagOf(body));
    }
    return body;
  }

  /**
   * The object at `key` in one chunk.
   * @throws Error named `NoSuchKey` (as the S3 SDK's) when there is no object; Error named `ObjectChanged` when
   *   `ifMatch` is given and the object's version tag is another.
   */
  async *stream(key: string, ifMatch?: string): AsyncGenerator<Uint8Array> {
    const bytes = this.pinned(key, ifMatch).slice();
    if (bytes.length > 0) yield await Promise.resolve(bytes);
  }

  /**
   * A copy of bytes `start` to `end` (exclusive) of the object at `key`, with its version tag.
   * @throws as {@link MemoryStore.stream}; Error quoting the range when it is empty or outside the object.
   */
  getRange(key: string, start: number, end: number, ifMatch?: string): Promise<ObjectRange> {
    try {
      const body = this.pinned(key, ifMatch);
      if (
        !(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start < end) ||
        end > body.length
      ) {
        throw new Error(
          `Range ${start}-${end} is not within object "${this.root + key}" (${body.length} bytes)`,
        );
      }
      return Promise.resolve({ body: body.slice(start, end), etag: etagOf(body) });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Whether an object exists at `key`. */
  exists(key: string): Promise<boolean> {
    return Promise.resolve(this.objects.has(this.root + key));
  }

  /** Keys under `prefix` after `startAfter`, relative to this store's root, in UTF-8 byte order. */
  list(prefix: string, startAfter?: string): Promise<string[]> {
    const full = this.root + prefix;
    const after = startAfter === undefined ? undefined : this.root + startAfter;
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(full) && (after === undefined || byteOrder(k, after) > 0))
      .sort(byteOrder)
      .map((k) => k.slice(this.root.length));
    return Promise.resolve(keys);
  }
}
