import assert from "node:assert/strict";
import { join } from "node:path";
import { crc32, zipBytes } from "../../tools/lambda/zip.ts";

const enc = new TextEncoder();

async function hasUnzip(): Promise<boolean> {
  try {
    return (await new Deno.Command("unzip", { args: ["-v"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

Deno.test("crc32() matches the standard check value", () => {
  assert.equal(crc32(enc.encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

Deno.test("zipBytes() is reproducible and unzip reads back names, bytes and the executable mode", {
  ignore: !(await hasUnzip()),
}, async () => {
  const big = enc.encode("x".repeat(100_000));
  const random = crypto.getRandomValues(new Uint8Array(4096)); // incompressible: stored, not deflated
  const entries = [
    { name: "bootstrap", data: enc.encode("#!/bin/sh\necho hello from bootstrap\n"), mode: 0o755 },
    { name: "index.js", data: big },
    { name: "bin/random.bin", data: random },
    { name: "empty", data: new Uint8Array() },
  ];
  const zip = await zipBytes(entries);
  assert.deepEqual(await zipBytes(entries), zip, "the same inputs must give the same bytes");
  assert.ok(zip.length < 20_000, `deflate should shrink 100 kB of x, got ${zip.length} bytes`);

  const tmp = await Deno.makeTempDir({ prefix: "zip-test-" });
  try {
    await Deno.writeFile(join(tmp, "a.zip"), zip);
    const test = await new Deno.Command("unzip", { args: ["-t", "a.zip"], cwd: tmp, stdout: "piped" })
      .output();
    assert.ok(test.success, new TextDecoder().decode(test.stdout));
    const x = await new Deno.Command("unzip", { args: ["-q", "a.zip", "-d", "out"], cwd: tmp }).output();
    assert.ok(x.success);
    for (const e of entries) assert.deepEqual(await Deno.readFile(join(tmp, "out", e.name)), e.data, e.name);
    assert.equal((await Deno.stat(join(tmp, "out", "bootstrap"))).mode! & 0o777, 0o755);
    const run = await new Deno.Command(join(tmp, "out", "bootstrap"), { stdout: "piped" }).output();
    assert.equal(new TextDecoder().decode(run.stdout), "hello from bootstrap\n");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("zipBytes() rejects absolute, empty and duplicate names", async () => {
  const data = new Uint8Array([1]);
  await assert.rejects(zipBytes([{ name: "/etc/passwd", data }]), /Bad ZIP entry name "\/etc\/passwd"/);
  await assert.rejects(zipBytes([{ name: "", data }]), /Bad ZIP entry name ""/);
  await assert.rejects(zipBytes([{ name: "a", data }, { name: "a", data }]), /Duplicate ZIP entry name "a"/);
});
