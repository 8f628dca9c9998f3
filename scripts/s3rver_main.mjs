// Runs the S3 emulator in the foreground (started detached by local_services.mjs, under
// `node --openssl-legacy-provider`). Buckets in S3RVER_BUCKETS are created at start.
import S3rver from "s3rver";

const server = new S3rver({
  address: "127.0.0.1",
  port: Number(process.env.S3RVER_PORT ?? 45679),
  directory: process.env.S3RVER_DIR ?? ".local/s3",
  silent: true,
  configureBuckets: (process.env.S3RVER_BUCKETS ?? "").split(",").filter(Boolean).map((name) => ({ name })),
});
await server.run();
process.stdout.write(`s3rver listening on ${process.env.S3RVER_PORT}\n`);
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => server.close().finally(() => process.exit(0)));
}
