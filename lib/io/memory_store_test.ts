import assert from "node:assert/strict";
import { MemoryStore } from "./memory_store.ts";
import type { ObjectStore } from "./object_store.ts";

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let text = "";
  for await (const c of chunks) text += new TextDecoder().decode(c);
  return text;
}

Deno.test("MemoryStore.put() then get() returns the bytes; get() of a missing key is undefined", async () => {
  const store: ObjectStore = new MemoryStore();
  await store.put("a/b.json", '{"x":1}');
  assert.equal(new TextDecoder().decode(await store.get("a/b.json")), '{"x":1}');
  assert.deepEqual(await store.getJson("a/b.json"), { x: 1 });
  assert.equal(await store.get("a/c.json"), undefined);
  assert.equal(await store.getJson("a/c.json"), undefined);
  assert.equal(await store.exists("a/b.json"), true);
  assert.equal(await store.exists("a/c.json"), false);
});

Deno.test("MemoryStore keeps a copy: changing the caller's array after put() changes nothing", async () => {
  const store = new MemoryStore();
  const body = new Uint8Array([1, 2, 3]);
  await store.put("k", body, "application/octet-stream");
  body[0] = 9;
  const read = (await store.get("k"))!;
  assert.deepEqual([...read], [1, 2, 3]);
  read[1] = 9;
  assert.deepEqual([...(await store.get("k"))!], [1, 2, 3]);
  assert.equal(store.objects.get("k")?.contentType, "application/octet-stream");
});

Deno.test("MemoryStore.upload() joins the chunks; a body that throws writes nothing", async () => {
  const store = new MemoryStore();
  const enc = new TextEncoder();
  await store.upload(
    "t.jsonl",
    (async function* () {
      yield enc.encode("a\n");
      yield enc.encode("b\n");
    })(),
    "application/x-ndjson",
  );
  assert.equal(await collect(store.stream("t.jsonl")), "a\nb\n");
  await assert.rejects(
    store.upload(
      "u.jsonl",
      (async function* () {
        yield enc.encode("a\n");
        throw new Error("source failed");
      })(),
      "application/x-ndjson",
    ),
    /source failed/,
  );
  assert.equal(await store.exists("u.jsonl"), false);
});

Deno.test("MemoryStore.stream() of a missing key throws NoSuchKey, as S3 does", async () => {
  await assert.rejects(collect(new MemoryStore().stream("nope")), (e: Error) => e.name === "NoSuchKey");
});

Deno.test("MemoryStore.list() lists under a prefix in byte order, startAfter exclusive", async () => {
  const store = new MemoryStore();
  for (const k of ["m/b", "m/a", "m/B", "m/é", "n/a", "m/a0"]) await store.put(k, "");
  assert.deepEqual(await store.list("m/"), ["m/B", "m/a", "m/a0", "m/b", "m/é"]);
  assert.deepEqual(await store.list("m/", "m/a"), ["m/a0", "m/b", "m/é"]);
  assert.deepEqual(await store.list("m/", "m/zz"), ["m/é"]);
  assert.deepEqual(await store.list("x/"), []);
});

Deno.test("MemoryStore.under() reads, writes and lists relative to its root, sharing the objects", async () => {
  const store = new MemoryStore();
  const sub = store.under("rebuild/");
  await sub.put("_manifests/transform/r.json", "{}");
  assert.deepEqual(await store.list(""), ["rebuild/_manifests/transform/r.json"]);
  assert.deepEqual(await sub.list("_manifests/"), ["_manifests/transform/r.json"]);
  assert.deepEqual(await sub.under("x/").list(""), []);
  assert.throws(() => store.under("no-slash"), /must end with "\/"/);
});
