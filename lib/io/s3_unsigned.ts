/**
 * Uploads without a payload hash in their signature (SigV4's `UNSIGNED-PAYLOAD`, an option S3 documents for
 * `PutObject` and `UploadPart`): the SDK otherwise hashes every body with SHA-256 before sending it, which was
 * 0.85 s of the ingest's 14 s of CPU at 1M orders. Integrity does not rest on it: TLS protects the bytes in
 * transit, and every object's own SHA-256 is in its manifest, checked by the stage that reads it.
 *
 * @module
 */
import type { S3Client } from "@aws-sdk/client-s3";

/** The commands whose body is sent unsigned. */
const UPLOADS = new Set(["PutObjectCommand", "UploadPartCommand"]);

/**
 * Makes `client` send the bodies of `PutObject` and `UploadPart` unsigned, by setting the
 * `x-amz-content-sha256: UNSIGNED-PAYLOAD` header before the signer runs (the signer then uses that value instead
 * of hashing the body). Other requests are signed as before.
 *
 * @returns the same client
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { S3Client } from "@aws-sdk/client-s3";
 * import { withUnsignedUploads } from "./s3_unsigned.ts";
 * const client = withUnsignedUploads(new S3Client({ region: "eu-west-2" }));
 * assert.ok(client.middlewareStack.identify().some((m) => m.startsWith("unsignedUploads")));
 * ```
 */
export function withUnsignedUploads(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (UPLOADS.has(context.commandName ?? "") && request.headers) {
        request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      }
      return next(args);
    },
    { step: "build", name: "unsignedUploads", priority: "low" },
  );
  return client;
}
