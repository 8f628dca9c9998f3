import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { freshBucket } from "../harness.ts";
import { Bucket, createS3Client } from "../../lib/io/s3.ts";

Deno.test("Bucket.list() follows continuation tokens past 1,000 keys, in key order, and honours startAfter", async () => {
  const bucket = await freshBucket("list");
  const keys = Array.from(
    { length: 1_105 },
    (_, i) => `_manifests/ingest/run-${String(i).padStart(5, "0")}.json`,
  );
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(keys.slice(i, i + 50).map((k) => bucket.put(k, "{}")));
  }
  await bucket.put("_state/ingest/current.json", "{}");
  const listed = await bucket.list("_manifests/ingest/");
  assert.equal(listed.length, 1_105);
  assert.deepEqual(listed, keys);
  const after = await bucket.list("_manifests/ingest/", keys[1_049]);
  assert.deepEqual(after, keys.slice(1_050));
  assert.deepEqual(await bucket.list("_manifests/ingest/", keys[1_104]), []);
});

Deno.test("Bucket.upload() streams a multi-part object that reads back byte for byte", async () => {
  const bucket = await freshBucket("mpu");
  const part = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
  await bucket.upload(
    "big.bin",
    (async function* () {
      for (let i = 0; i < 4; i++) yield part; // 12 MiB: two 8 MiB parts are needed
    })(),
    "application/octet-stream",
    5 * 1024 * 1024,
  );
  const back = (await bucket.get("big.bin"))!;
  assert.equal(back.length, 12 * 1024 * 1024);
  for (let i = 0; i < 4; i++) assert.deepEqual(back.subarray(i * part.length, (i + 1) * part.length), part);
  assert.equal(await bucket.get("missing.bin"), undefined);
  assert.equal(await bucket.exists("big.bin"), true);
  assert.equal(await bucket.exists("missing.bin"), false);
});

Deno.test("an S3 endpoint that accepts connections but never answers fails the call, naming the object, not a hang", async () => {
  // A stopped (SIGSTOP) or wedged S3 endpoint: the kernel still accepts the TCP connection, nothing answers.
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const client = createS3Client({ endpoint, idleTimeoutMs: 500 });
  const bucket = new Bucket(client, "totes-ingestion", "", { endpoint, stage: "ingest" });
  const started = performance.now();
  let hang: ReturnType<typeof setTimeout> | undefined;
  try {
    const outcome = await Promise.race([
      bucket.get("_state/ingest/current.json").then(() => "answered", (err: Error) => err.message),
      new Promise<string>((resolve) => hang = setTimeout(() => resolve("still waiting after 15 s"), 15_000)),
    ]);
    assert.match(outcome, /_state\/ingest\/current\.json/);
    assert.match(outcome, /127\.0\.0\.1/);
    assert.ok(performance.now() - started < 15_000);
  } finally {
    clearTimeout(hang);
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

Deno.test("a large PutObject goes without `Expect: 100-continue` (a silent endpoint costs one idle timeout an attempt, not two) and with its body unsigned", async () => {
  const seen: (string | undefined)[] = [];
  const hashes: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.expect);
    hashes.push(`${req.method} ${req.headers["x-amz-content-sha256"]}`);
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { ETag: '"x"' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const client = createS3Client({ endpoint });
  try {
    await new Bucket(client, "b").put("big.bin", new Uint8Array(3 << 20), "application/octet-stream");
    assert.deepEqual(seen, [undefined]); // the SDK's default adds the header from 2 MB on
    await new Bucket(client, "b").get("small.json").catch(() => {});
    // the upload's body is not hashed for the signature; other requests keep their signed (empty) payload hash
    assert.equal(hashes[0], "PUT UNSIGNED-PAYLOAD");
    assert.match(hashes[1]!, /^GET [0-9a-f]{64}$/);
  } finally {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

Deno.test("createS3Client() sets an idle-socket timeout of 20 s by default: 4 silent attempts fit a Lambda's 300 s", async () => {
  const client = createS3Client({ endpoint: "http://127.0.0.1:1" });
  const handler = client.config.requestHandler as { configProvider?: Promise<Record<string, unknown>> };
  const config = await handler.configProvider;
  assert.equal(config?.socketTimeout, 20_000);
  assert.equal(await client.config.maxAttempts(), 4);
  assert.equal(config?.connectionTimeout, 10_000);
  client.destroy();
});

Deno.test("Bucket.upload() throws its body's own error as it is, not as an S3 failure", async () => {
  const bucket = await freshBucket("upload-source-error");
  const refused = new Error("Row design 2 is too large");
  async function* body() {
    yield new Uint8Array(6 << 20); // past one part: the multipart upload has begun
    throw refused;
  }
  await assert.rejects(bucket.upload("a.jsonl", body(), "application/x-ndjson"), (err) => err === refused);
  assert.equal(await bucket.exists("a.jsonl"), false);
});

Deno.test("an upload whose body fails after its first part aborts the multipart upload, then throws the body's error", async () => {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url?.replace(/&?x-id=[A-Za-z]+/, "")}`);
    req.resume();
    req.on("end", () => {
      if (req.method === "POST" && req.url?.includes("uploads")) {
        res.writeHead(200, { "Content-Type": "application/xml" });
        res.end(
          "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>a.jsonl</Key><UploadId>u1</UploadId>" +
            "</InitiateMultipartUploadResult>",
        );
      } else {
        res.writeHead(req.method === "DELETE" ? 204 : 200, { ETag: '"e"' });
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const client = createS3Client({ endpoint });
  const refused = new Error("Row design 2 is too large");
  async function* body() {
    yield new Uint8Array(6 << 20);
    yield new Uint8Array(6 << 20); // the first part is on its way
    throw refused;
  }
  try {
    await assert.rejects(
      new Bucket(client, "b").upload("a.jsonl", body(), "application/x-ndjson", 5 << 20),
      (e) => e === refused,
    );
    assert.equal(requests[0], "POST /b/a.jsonl?uploads=");
    assert.equal(requests.at(-1), "DELETE /b/a.jsonl?uploadId=u1");
  } finally {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
