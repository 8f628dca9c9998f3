/**
 * S3 adapter: a small object-store interface over `@aws-sdk/client-s3`, so the stages can be tested against the S3
 * emulator (s3rver), LocalStack or AWS alike.
 *
 * - `AWS_ENDPOINT_URL` (LocalStack, s3rver) switches on path-style addressing.
 * - Checksums are computed only when required: with the SDK's default, streamed uploads reach s3rver with the
 *   chunk framing stored inside the object.
 *
 * @module
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import { objectChanged, type ObjectRange, type ObjectStore } from "./object_store.ts";
import { type BucketContext, jsonErrorWhere, s3Error } from "./s3_errors.ts";
import { withUnsignedUploads } from "./s3_unsigned.ts";
import { abortParts, uploadSource } from "./s3_abort.ts";

export type { BucketContext };

/** Settings of {@link createS3Client}. */
export interface S3Settings {
  /** Endpoint of LocalStack or the emulator; unset for AWS. */
  endpoint?: string | undefined;
  /** AWS region (default `eu-west-2`). */
  region?: string | undefined;
  /**
   * How long a connection may stay silent before the attempt fails (default {@link S3_IDLE_TIMEOUT_MS}, 20 s): an
   * endpoint that accepts the connection but never answers (a stopped or wedged server) must fail the run, not
   * hang it past a Lambda's limit. An attempt then fails after about 23 s (the SDK arms the timer 3 s late), so a
   * silent S3 fails a call, an upload included, in about 90 s with the SDK's 4 attempts (92 s measured), and an
   * ingest whose S3 went silent mid-run in 173 s (two uploads' parts in flight fail one after the other): inside
   * the ingest Lambda's 300 s, where at 60 s and with the waits below a run took 278 s.
   */
  idleTimeoutMs?: number | undefined;
}

/** The default idle-socket timeout of {@link createS3Client}, in milliseconds: no byte either way for this long. */
export const S3_IDLE_TIMEOUT_MS = 20_000;

/** Attempts per S3 call (the first and three retries), the SDK's standard retry mode. */
export const S3_MAX_ATTEMPTS = 4;

/**
 * Creates an S3 client from explicit settings (the caller reads the environment).
 *
 * Credentials come from the SDK's default chain (environment variables in tests and local runs, the Lambda role
 * in AWS). Callers must set `AWS_EC2_METADATA_DISABLED=true` outside AWS. Upload bodies are sent unsigned
 * (s3_unsigned.ts).
 */
export function createS3Client(settings: S3Settings = {}): S3Client {
  return withUnsignedUploads(
    new S3Client({
      region: settings.region ?? "eu-west-2",
      ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: S3_MAX_ATTEMPTS,
      // No `Expect: 100-continue` on large bodies: on a silent endpoint the SDK first waited up to the idle timeout
      // for the server's "continue", then the idle timeout again for the answer (46 s an attempt instead of 23).
      expectContinueHeader: false,
      requestHandler: {
        connectionTimeout: 10_000,
        socketTimeout: settings.idleTimeoutMs ?? S3_IDLE_TIMEOUT_MS,
      },
    }),
  );
}

/**
 * One bucket, with the few operations the pipeline needs. With a `root` (a key prefix ending in `/`), every key is
 * read and written under it and listed relative to it, so a stage can write a separate location (a rebuild's
 * processed zone) without knowing.
 *
 * Every failure other than a missing object is rethrown naming what to fix (see s3_errors.ts): the bucket and
 * the variable in `context`, the endpoint, the stage, the operation and the object.
 */
export class Bucket implements ObjectStore {
  constructor(
    readonly client: S3Client,
    readonly name: string,
    readonly root = "",
    readonly context: BucketContext = {},
  ) {
    if (root !== "" && !root.endsWith("/")) throw new Error(`Bucket root "${root}" must end with "/"`);
  }

  /** The same bucket under `root` (appended to this one's). */
  under(root: string): Bucket {
    return new Bucket(this.client, this.name, this.root + root, this.context);
  }

  /** Runs one S3 call, rethrowing its failure as {@link s3Error} describes. */
  private async call<T>(operation: string, key: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw s3Error(err, operation, this.name, key === undefined ? undefined : this.root + key, this.context);
    }
  }

  /** Writes `body` at `key` in one request (small objects: manifests, state). */
  async put(key: string, body: Uint8Array | string, contentType = "application/json"): Promise<void> {
    await this.call("PutObject", key, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.name,
          Key: this.root + key,
          Body: body,
          ContentType: contentType,
        }),
      ));
  }

  /**
   * Streams `body` to `key`, in parts of `partSize` bytes (multipart upload for large objects).
   * Memory stays near two parts: one uploading while the next fills (queue of 1; with 2, a producer faster than
   * the endpoint kept 50 MB more in flight at 1M orders, and no faster).
   *
   * @throws the error `body` itself throws, as it is (a source's error, such as a row the ingest refuses, is not
   *   an S3 failure); else the upload's error, as {@link s3Error} describes.
   */
  async upload(
    key: string,
    body: AsyncIterable<Uint8Array>,
    contentType: string,
    partSize = 8 * 1024 * 1024,
  ): Promise<void> {
    let sourceFailed: { error: unknown } | undefined;
    const source = () => uploadSource(body, (error) => (sourceFailed = { error }));
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.name,
        Key: this.root + key,
        Body: Readable.from(source()),
        ContentType: contentType,
      },
      partSize,
      queueSize: 1,
      // A failed upload is not aborted: on a silent endpoint the abort took its own 4 attempts (about 90 s) after
      // the upload's. The bucket's lifecycle rule removes incomplete uploads' parts (terraform/s3.tf).
      leavePartsOnError: true,
    });
    try {
      await this.call("Upload", key, () => upload.done());
    } catch (err) {
      if (!sourceFailed) throw err;
      await abortParts(this.client, upload); // S3 answers: the body failed (a refused row), not the endpoint
      throw sourceFailed.error;
    }
  }

  /** Reads the whole object at `key`, or `undefined` when there is none. */
  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await this.call("GetObject", key, async () => {
        const out = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: this.root + key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      });
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") return undefined;
      throw err;
    }
  }

  /**
   * One GetObject of `key` (a `range` such as `bytes=0-99`, or all of it), pinned to `ifMatch` when given: sent
   * as If-Match (AWS answers 412) and checked against the answer's ETag (s3rver ignores If-Match).
   */
  private async getObject(key: string, range?: string, ifMatch?: string) {
    const out = await this.call("GetObject", key, () =>
      this.client.send(
        new GetObjectCommand({
          Bucket: this.name,
          Key: this.root + key,
          ...(range ? { Range: range } : {}),
          ...(ifMatch ? { IfMatch: ifMatch } : {}),
        }),
      ));
    if (ifMatch !== undefined && out.ETag !== ifMatch) {
      (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw objectChanged(`s3://${this.name}/${this.root}${key}`, ifMatch, out.ETag);
    }
    return out;
  }

  /**
   * Streams the object at `key` as byte chunks (bounded memory for large objects), pinned to `ifMatch` if given.
   * @throws the SDK's NoSuchKey error when there is no object; Error named `ObjectChanged` when `ifMatch` is
   *   given and the object's ETag is another.
   */
  async *stream(key: string, ifMatch?: string): AsyncGenerator<Uint8Array> {
    const out = await this.getObject(key, undefined, ifMatch);
    if (!out.Body) return;
    const chunks = (out.Body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    while (true) {
      const next = await this.call("GetObject (reading)", key, () => chunks.next());
      if (next.done) return;
      yield next.value;
    }
  }

  /**
   * Bytes `start` to `end` (exclusive) of the object at `key`, in one ranged GET, with the object's ETag.
   * @throws the SDK's NoSuchKey error when there is no object; Error quoting the range when it is empty, or when
   *   the answer has another length (a range past the end); Error named `ObjectChanged` as {@link Bucket.stream}.
   */
  async getRange(key: string, start: number, end: number, ifMatch?: string): Promise<ObjectRange> {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start < end)) {
      throw new Error(`Range ${start}-${end} of s3://${this.name}/${this.root}${key} is empty or invalid`);
    }
    const out = await this.getObject(key, `bytes=${start}-${end - 1}`, ifMatch);
    const body = out.Body
      ? await this.call("GetObject (reading)", key, () => out.Body!.transformToByteArray())
      : new Uint8Array();
    if (body.length !== end - start) {
      throw new Error(
        `Range ${start}-${end} of s3://${this.name}/${this.root}${key} returned ${body.length} bytes, ` +
          `expected ${end - start} (past the end of the object?)`,
      );
    }
    return { body, etag: out.ETag ?? "" };
  }

  /**
   * Reads and parses the JSON object at `key`, or `undefined` when there is none.
   * @throws Error naming the object and the line when it is not valid JSON (truncated, altered: C5).
   */
  async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.get(key);
    if (bytes === undefined) return undefined;
    const text = new TextDecoder().decode(bytes);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(
        `Object s3://${this.name}/${this.root}${key} is not valid JSON (${bytes.length} bytes; truncated or ` +
          `altered?): ${jsonErrorWhere(err as Error, text)}`,
        { cause: err },
      );
    }
  }

  /** Whether an object exists at `key`. */
  async exists(key: string): Promise<boolean> {
    try {
      await this.call(
        "HeadObject",
        key,
        () => this.client.send(new HeadObjectCommand({ Bucket: this.name, Key: this.root + key })),
      );
      return true;
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === "NotFound") return false;
      throw err;
    }
  }

  /**
   * Lists every key under `prefix` in key order, following continuation tokens (more than 1,000 keys work).
   * `startAfter` skips keys up to and including it.
   */
  async list(prefix: string, startAfter?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.call("ListObjectsV2", prefix, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.name,
            Prefix: this.root + prefix,
            ...(token
              ? { ContinuationToken: token }
              : startAfter
              ? { StartAfter: this.root + startAfter }
              : {}),
          }),
        ));
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.root.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
