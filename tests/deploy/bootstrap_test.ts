/**
 * Proves the packaging without AWS: builds a function zip around a fixture handler with scripts/build.ts, unpacks
 * it, and runs its `bootstrap` (the real lambda/bootstrap, which execs deno on the bundle) against a local
 * stand-in of the Runtime API, for a success, a failure and an initialisation error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { build } from "../../scripts/build.ts";
import { startRuntimeApiStub, type StubInvocation, type StubPost } from "./runtime_api_stub.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;

async function hasUnzip(): Promise<boolean> {
  try {
    return (await new Deno.Command("unzip", { args: ["-v"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/**
 * Builds `dist/fixture.zip` around `handlerFile` into a temp folder and returns the unpacked task root. The zip is
 * written by the `zip` command when installed, or by tools/lambda/zip.ts when `zipCommand` is false.
 */
async function buildFixture(handlerFile: string, tmp: string, zipCommand?: boolean): Promise<string> {
  const [zip] = await build({
    ...(zipCommand === undefined ? {} : { zipCommand }),
    functions: ["fixture"],
    outDir: join(tmp, "dist"),
    layer: false,
    handlerModule: () => join(fixtures, handlerFile),
  });
  assert.ok(zip && zip.path.endsWith("fixture.zip") && zip.bytes > 0);
  const taskRoot = join(tmp, "task");
  await Deno.mkdir(taskRoot);
  if (await hasUnzip()) {
    const out = await new Deno.Command("unzip", { args: ["-q", zip.path, "-d", taskRoot] }).output();
    assert.ok(out.success, "unzip of the function package failed");
  } else {
    await Deno.copyFile(join(tmp, "dist", "fixture", "index.js"), join(taskRoot, "index.js"));
    await Deno.copyFile(new URL("../../lambda/bootstrap", import.meta.url), join(taskRoot, "bootstrap"));
    await Deno.chmod(join(taskRoot, "bootstrap"), 0o755);
  }
  const mode = (await Deno.stat(join(taskRoot, "bootstrap"))).mode ?? 0;
  assert.equal(mode & 0o111, 0o111, "bootstrap must be executable inside the zip");
  return taskRoot;
}

/** Runs the unpacked bootstrap against a stub with `invocations`; returns the POSTs and how the process ended. */
async function runBootstrap(
  taskRoot: string,
  invocations: StubInvocation[],
  expectedPosts: number,
  expectExit = false,
): Promise<{ posts: StubPost[]; status: Deno.CommandStatus; stderr: string }> {
  const stub = startRuntimeApiStub(invocations);
  const child = new Deno.Command(join(taskRoot, "bootstrap"), {
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      AWS_LAMBDA_RUNTIME_API: stub.address,
      LAMBDA_TASK_ROOT: taskRoot,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      DENO_BIN: Deno.execPath(),
      DENO_DIR: join(taskRoot, ".deno-dir"), // not the bootstrap's /tmp/deno-dir, outside the test's folder
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderrText = new Response(child.stderr).text();
  const stdoutText = new Response(child.stdout).text();
  try {
    // Either the expected POSTs arrive, or the process exits first (init errors exit on their own).
    const exited = child.status.then(() => "exited" as const);
    await Promise.race([stub.waitForPosts(expectedPosts, 60_000), exited]);
    await stub.waitForPosts(expectedPosts, 5_000);
  } catch (err) {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`${(err as Error).message}\nstderr:\n${await stderrText}\nstdout:\n${await stdoutText}`);
  } finally {
    await stub.close();
  }
  let status: Deno.CommandStatus;
  if (expectExit) {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    status = await child.status;
    clearTimeout(timer);
    assert.equal(status.signal, null, "the runtime should have exited on its own");
  } else {
    child.kill("SIGTERM");
    status = await child.status;
  }
  assert.equal(await stdoutText, "", "the fixture's CLI block must not run inside the bundle");
  return { posts: stub.posts, status, stderr: await stderrText };
}

Deno.test("the built bootstrap serves a success and a failure through the Runtime API", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "bootstrap-test-" });
  try {
    const taskRoot = await buildFixture("handler.ts", tmp);
    const { posts, stderr } = await runBootstrap(taskRoot, [
      { requestId: "11111111-ok", event: { rows: 1000 } },
      { requestId: "22222222-fail", event: { fail: "warehouse unreachable: ECONNREFUSED" } },
    ], 2);
    assert.deepEqual(posts.map((p) => p.path), [
      "/invocation/11111111-ok/response",
      "/invocation/22222222-fail/error",
    ]);
    assert.deepEqual(JSON.parse(posts[0]!.body), { rows: 1000, sum: 500500 });
    const error = JSON.parse(posts[1]!.body);
    assert.equal(error.errorType, "FixtureError");
    assert.equal(error.errorMessage, "warehouse unreachable: ECONNREFUSED");
    assert.ok(Array.isArray(error.stackTrace));
    assert.equal(posts[1]!.headers.get("lambda-runtime-function-error-type"), "FixtureError");
    // The failure is logged for CloudWatch as one JSON line.
    assert.match(stderr, /"msg":"invocation failed".*"requestId":"22222222-fail"/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("the built bootstrap reports a handler module that fails to load to /runtime/init/error", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "bootstrap-test-" });
  try {
    // This one goes through the built-in ZIP writer, so both ways of zipping are proven to give a working package.
    const taskRoot = await buildFixture("broken_handler.ts", tmp, false);
    const { posts, status } = await runBootstrap(
      taskRoot,
      [{ requestId: "never-served", event: {} }],
      1,
      true,
    );
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.path, "/init/error");
    const body = JSON.parse(posts[0]!.body);
    assert.equal(body.errorType, "RangeError");
    assert.match(body.errorMessage, /fixture init failure/);
    assert.equal(status.success, false, "the runtime must exit non-zero after an init error");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
