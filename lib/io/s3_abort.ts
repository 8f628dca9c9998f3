/**
 * An upload's body and its failures: telling the body's own error from the upload's, and cleaning up after an
 * upload whose body failed.
 *
 * @module
 */
import { AbortMultipartUploadCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Upload } from "@aws-sdk/lib-storage";

/**
 * Aborts a multipart upload whose body failed (its parts would otherwise stay until the bucket's lifecycle rule
 * removes them, and forever on an emulator without one), within 10 s and without retries; a failure to abort is
 * ignored, since the body's own error is the one to report.
 *
 * @param upload lib-storage's `Upload`, whose `uploadId` is set once the multipart upload has begun
 */
export async function abortParts(client: S3Client, upload: Upload): Promise<void> {
  const { uploadId, params } = upload as unknown as {
    uploadId?: string;
    params: { Bucket: string; Key: string };
  };
  if (!uploadId) return;
  const abort = new AbortMultipartUploadCommand({
    Bucket: params.Bucket,
    Key: params.Key,
    UploadId: uploadId,
  });
  await client.send(abort, { abortSignal: AbortSignal.timeout(10_000) }).catch(() => {});
}

/**
 * `body` as an upload's source, calling `failed` with an error that reading `body` throws (then rethrown). Only
 * those are the source's: when the upload itself fails, lib-storage destroys the stream and Node's
 * `Readable.from` throws an AbortError in at the `yield`; taken for the source's, it hid the S3 error (an ingest
 * whose endpoint died said only "The operation was aborted"). `body` is closed either way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uploadSource } from "./s3_abort.ts";
 * const seen: unknown[] = [];
 * async function* body() { yield new Uint8Array([1]); throw new Error("row refused"); }
 * const source = uploadSource(body(), (e) => seen.push(e));
 * await source.next();
 * await assert.rejects(source.next(), /row refused/);
 * assert.equal(seen.length, 1);
 * const other = uploadSource(body(), (e) => seen.push(e));
 * await other.next();
 * await assert.rejects(other.throw(new Error("aborted")), /aborted/); // thrown in by the consumer
 * assert.equal(seen.length, 1, "not the source's");
 * ```
 */
export async function* uploadSource(
  body: AsyncIterable<Uint8Array>,
  failed: (error: unknown) => void,
): AsyncGenerator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await it.next();
      } catch (error) {
        failed(error);
        throw error;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}
