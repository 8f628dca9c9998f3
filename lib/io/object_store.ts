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

  /** The object at `key` as byte chunks (bounded memory). Throws when there is no object. */
  stream(key: string): AsyncIterable<Uint8Array>;

  /** Whether an object exists at `key`. */
  exists(key: string): Promise<boolean>;

  /** Every key under `prefix`, in key order; `startAfter` skips keys up to and including it. */
  list(prefix: string, startAfter?: string): Promise<string[]>;

  /** The same store seen under `root` (a prefix ending in `/`): keys are read, written and listed relative to it. */
  under(root: string): ObjectStore;
}
