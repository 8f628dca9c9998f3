/**
 * The object-store interface the stages depend on: the few operations they use of an S3 bucket. The S3 adapter
 * (`Bucket` in `lib/io/s3.ts`) and the in-memory store (`MemoryStore` in `lib/io/memory_store.ts`, for tests
 * that need no services) implement it.
 *
 * Keys are plain strings relative to the store's root (S3 keys: `/`-separated, no leading `/`); listing is in
 * key order (UTF-8 byte order, as S3 lists). Objects are immutable values: a `put` replaces the whole object.
 *
 * @module
 */

/** Bytes read from part of an object, and the ETag of the object version they came from. */
export interface ObjectRange {
  /** The bytes asked for. */
  body: Uint8Array;
  /** The object's ETag (S3's, quotes included; the in-memory store's version tag). */
  etag: string;
}

/**
 * The error of a read pinned to an ETag (`ifMatch`) that found another: the object was replaced between reads.
 *
 * @param where the object, as the store names it (`s3://bucket/key`, or the key)
 * @param expected the ETag the read was pinned to
 * @param actual the ETag found, when the store reported one
 * @returns an Error named `ObjectChanged`
 */
export function objectChanged(where: string, expected: string, actual: string | undefined): Error {
  return Object.assign(
    new Error(
      `Object ${where} changed while it was being read: ETag ${
        actual ?? "(not given)"
      }, expected ${expected}`,
    ),
    { name: "ObjectChanged" },
  );
}

/** A key-value store of byte objects, as the pipeline uses S3. */
export interface ObjectStore {
  /**
   * Writes `body` at `key` in one request (small objects: manifests, state), replacing any object there.
   * `contentType` defaults to `application/json`.
   */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;

  /** Streams `body` to `key` (large objects: a table's rows), replacing any object there. */
  upload(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<void>;

  /** The whole object at `key`, or `undefined` when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;

  /** The object at `key` parsed as JSON (UTF-8), or `undefined` when there is none. Throws on invalid JSON. */
  getJson<T>(key: string): Promise<T | undefined>;

  /**
   * The object at `key` as byte chunks (bounded memory). Throws when there is no object, and (an Error named
   * `ObjectChanged`) when `ifMatch` is given and the object's ETag is another.
   */
  stream(key: string, ifMatch?: string): AsyncIterable<Uint8Array>;

  /**
   * Bytes `start` (inclusive) to `end` (exclusive) of the object at `key` (one ranged GET), with the ETag of the
   * object they were read from. Throws when there is no object (an Error named `NoSuchKey` or `NotFound`), when
   * the range is empty or outside the object, and (named `ObjectChanged`) when `ifMatch` is given and the
   * object's ETag is another: an object replaced between two reads is never read as a mix of both.
   */
  getRange(key: string, start: number, end: number, ifMatch?: string): Promise<ObjectRange>;

  /** Whether an object exists at `key`. */
  exists(key: string): Promise<boolean>;

  /** Every key under `prefix`, in key order; `startAfter` skips keys up to and including it. */
  list(prefix: string, startAfter?: string): Promise<string[]>;

  /** The same store seen under `root` (a prefix ending in `/`): keys are read, written and listed relative to it. */
  under(root: string): ObjectStore;
}
