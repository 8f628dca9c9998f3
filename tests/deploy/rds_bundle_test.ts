/**
 * scripts/build.ts ships the RDS certificate bundle (certs/rds-global-bundle.pem) in the zips of the functions that
 * connect to a database, warns when it is missing, and refuses a file that is not PEM.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { build, RDS_BUNDLE_NAME } from "../../scripts/build.ts";

const handler = new URL("./fixtures/handler.ts", import.meta.url).pathname;
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

async function hasUnzip(): Promise<boolean> {
  try {
    return (await new Deno.Command("unzip", { args: ["-v"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/** Names inside a zip (unzip -Z1). */
async function zipNames(path: string): Promise<string[]> {
  const out = await new Deno.Command("unzip", { args: ["-Z1", path], stdout: "piped" }).output();
  assert.ok(out.success);
  return new TextDecoder().decode(out.stdout).trim().split("\n").sort();
}

Deno.test("build() puts the RDS bundle into the database functions' zips only", {
  ignore: !(await hasUnzip()),
}, async () => {
  const tmp = await Deno.makeTempDir({ prefix: "rds-bundle-test-" });
  try {
    const bundle = join(tmp, "bundle.pem");
    await Deno.writeTextFile(bundle, PEM);
    const warnings: string[] = [];
    const artifacts = await build({
      functions: ["db", "nodb"],
      outDir: join(tmp, "dist"),
      layer: false,
      zipCommand: false,
      handlerModule: () => handler,
      rdsBundle: bundle,
      rdsBundleFunctions: ["db"],
      warn: (m) => warnings.push(m),
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(await zipNames(artifacts[0]!.path), ["bootstrap", RDS_BUNDLE_NAME, "index.js"]);
    assert.deepEqual(await zipNames(artifacts[1]!.path), ["bootstrap", "index.js"]);
    const x = await new Deno.Command("unzip", {
      args: ["-p", artifacts[0]!.path, RDS_BUNDLE_NAME],
      stdout: "piped",
    })
      .output();
    assert.equal(new TextDecoder().decode(x.stdout), PEM);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("build() warns, and still builds, when the RDS bundle is missing; refuses one that is not PEM", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "rds-bundle-test-" });
  try {
    const warnings: string[] = [];
    const options = {
      functions: ["db"],
      outDir: join(tmp, "dist"),
      layer: false,
      zipCommand: false,
      handlerModule: () => handler,
      rdsBundleFunctions: ["db"],
      warn: (m: string) => warnings.push(m),
    };
    const [zip] = await build({ ...options, rdsBundle: join(tmp, "missing.pem") });
    assert.ok(zip && zip.bytes > 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /missing\.pem is missing, so db are built without the RDS certificate bundle/);
    assert.match(
      warnings[0]!,
      /curl -fsSo certs\/rds-global-bundle\.pem https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem/,
    );

    await Deno.writeTextFile(join(tmp, "page.html"), "<html>Access denied</html>");
    await assert.rejects(
      build({ ...options, rdsBundle: join(tmp, "page.html") }),
      /page\.html holds no PEM certificate: fetch it again from https:\/\/truststore/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
