import assert from "node:assert/strict";
import { errorBody, runLambda, startLambda } from "../../lib/io/lambda_runtime.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { startRuntimeApiStub } from "./runtime_api_stub.ts";

async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; logs: string[] }> {
  const logs: string[] = [];
  const prev = setLogSink((line) => logs.push(line));
  try {
    return { value: await fn(), logs };
  } finally {
    setLogSink(prev);
  }
}

Deno.test("runLambda() posts a handler's result to /response and its error to /error", async () => {
  const stub = startRuntimeApiStub([
    { requestId: "req-ok", event: { n: 2 }, traceId: "Root=1-abc" },
    { requestId: "req-bad", event: { n: -1 } },
  ]);
  try {
    const seen: Array<{ event: unknown; id: string; trace: string | undefined; left: number }> = [];
    const { logs } = await quietly(() =>
      runLambda(async (event, ctx) => {
        seen.push({
          event,
          id: ctx.awsRequestId,
          trace: Deno.env.get("_X_AMZN_TRACE_ID"),
          left: ctx.getRemainingTimeInMillis(),
        });
        const n = (event as { n: number }).n;
        if (n < 0) throw new RangeError(`n must not be negative, got ${n}`);
        return await Promise.resolve({ doubled: n * 2 });
      }, { runtimeApi: stub.address, maxInvocations: 2 })
    );
    assert.deepEqual(seen.map((s) => [s.event, s.id, s.trace]), [
      [{ n: 2 }, "req-ok", "Root=1-abc"],
      [{ n: -1 }, "req-bad", undefined],
    ]);
    assert.ok(seen[0]!.left > 0 && seen[0]!.left <= 60_000);
    assert.equal(stub.posts.length, 2);
    const [ok, bad] = stub.posts;
    assert.equal(ok!.path, "/invocation/req-ok/response");
    assert.deepEqual(JSON.parse(ok!.body), { doubled: 4 });
    assert.equal(bad!.path, "/invocation/req-bad/error");
    assert.equal(bad!.headers.get("lambda-runtime-function-error-type"), "RangeError");
    const body = JSON.parse(bad!.body);
    assert.equal(body.errorType, "RangeError");
    assert.equal(body.errorMessage, "n must not be negative, got -1");
    assert.ok(Array.isArray(body.stackTrace) && body.stackTrace.length > 0);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /"requestId":"req-bad".*"errorType":"RangeError"/);
  } finally {
    await stub.close();
  }
});

Deno.test("runLambda() sends null for an undefined result and reports unserialisable results and bad events", async () => {
  const stub = startRuntimeApiStub([
    { requestId: "a", event: {} },
    { requestId: "b", event: { big: true } },
    { requestId: "c", event: "{not json" },
    { requestId: "d", event: "" },
  ]);
  try {
    const events: unknown[] = [];
    await quietly(() =>
      runLambda((event) => {
        events.push(event);
        if ((event as { big?: boolean } | null)?.big) return Promise.resolve({ n: 1n });
        return Promise.resolve(undefined);
      }, { runtimeApi: stub.address, maxInvocations: 4 })
    );
    assert.deepEqual(events, [{}, { big: true }, null]);
    assert.deepEqual(
      stub.posts.map((p) => [p.path, p.path.endsWith("/response") ? p.body : JSON.parse(p.body).errorType]),
      [
        ["/invocation/a/response", "null"],
        ["/invocation/b/error", "TypeError"],
        ["/invocation/c/error", "SyntaxError"],
        ["/invocation/d/response", "null"],
      ],
    );
  } finally {
    await stub.close();
  }
});

Deno.test("startLambda() reports a module that fails to load to /runtime/init/error and rethrows", async () => {
  const stub = startRuntimeApiStub([{ requestId: "never", event: {} }]);
  try {
    const { value } = await quietly(() =>
      startLambda(() => Promise.reject(new Error("cannot connect at import time")), {
        runtimeApi: stub.address,
      })
        .then(() => "resolved", (err: Error) => err.message)
    );
    assert.equal(value, "cannot connect at import time");
    assert.equal(stub.posts.length, 1);
    assert.equal(stub.posts[0]!.path, "/init/error");
    assert.equal(JSON.parse(stub.posts[0]!.body).errorMessage, "cannot connect at import time");

    const missing = await quietly(() =>
      startLambda(() => Promise.resolve({ main: () => 1 }), { runtimeApi: stub.address })
        .then(() => "resolved", (err: Error) => err.message)
    );
    assert.match(missing.value, /exports no "handler" function \(exports: main\)/);
    assert.equal(JSON.parse(stub.posts[1]!.body).errorType, "TypeError");
  } finally {
    await stub.close();
  }
});

Deno.test("runLambda() fails loudly when the Runtime API address is missing or /next answers an error", async () => {
  const saved = Deno.env.get("AWS_LAMBDA_RUNTIME_API");
  Deno.env.delete("AWS_LAMBDA_RUNTIME_API");
  try {
    await assert.rejects(runLambda(() => Promise.resolve(1)), /AWS_LAMBDA_RUNTIME_API is not set/);
  } finally {
    if (saved !== undefined) Deno.env.set("AWS_LAMBDA_RUNTIME_API", saved);
  }
  const fakeFetch = (() => Promise.resolve(new Response("gone", { status: 500 }))) as typeof fetch;
  await assert.rejects(
    runLambda(() => Promise.resolve(1), { runtimeApi: "127.0.0.1:9", fetch: fakeFetch }),
    /\/invocation\/next with HTTP 500: gone/,
  );
});

Deno.test("errorBody() names subclasses and describes non-Error values", () => {
  class LoadFailed extends Error {}
  assert.equal(errorBody(new LoadFailed("x")).errorType, "LoadFailed");
  assert.deepEqual(errorBody("plain text"), {
    errorType: "NonError",
    errorMessage: "plain text",
    stackTrace: [],
  });
  assert.deepEqual(errorBody({ code: 7 }), {
    errorType: "NonError",
    errorMessage: '{"code":7}',
    stackTrace: [],
  });
  assert.equal(errorBody(undefined).errorMessage, "undefined");
});
