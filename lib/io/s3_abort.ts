/**
 * Cleaning up after an upload whose body failed.
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
