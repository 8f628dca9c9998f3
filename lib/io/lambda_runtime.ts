/**
 * The Lambda custom-runtime loop (`provided.al2023`): asks the Runtime API for the next invocation, runs the
 * handler, and posts its result, or its error so that a thrown error is a failed invocation that Lambda counts
 * in `Errors` and retries (async invocations), then the dead-letter destination.
 *
 * API: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 *
 * - `GET  /2018-06-01/runtime/invocation/next` → event body and `Lambda-Runtime-*` headers
 * - `POST /2018-06-01/runtime/invocation/{id}/response` → the handler's result as JSON
 * - `POST /2018-06-01/runtime/invocation/{id}/error` → `{errorType, errorMessage, stackTrace}`
 * - `POST /2018-06-01/runtime/init/error` → the same body, when the handler module cannot be loaded
 *
 * This is the one adapter of `lib/` that reads the environment (`AWS_LAMBDA_RUNTIME_API`, unless passed) and the
 * network: it exists only to be the process's main loop inside Lambda.
 *
 * @example
 * ```ts ignore
 * import { startLambda } from "./lambda_runtime.ts";
 * await startLambda(() => import("../../main/ingest.ts"));
 * ```
 *
 * @module
 */
import { log, setLogContext } from "./log.ts";

/** What the Runtime API tells about one invocation (from its `Lambda-Runtime-*` headers). */
export interface LambdaContext {
  /** `Lambda-Runtime-Aws-Request-Id`. */
  awsRequestId: string;
  /** `Lambda-Runtime-Invoked-Function-Arn`, or `""` when absent. */
  invokedFunctionArn: string;
  /** `Lambda-Runtime-Deadline-Ms`: epoch milliseconds when the invocation times out (`NaN` when absent). */
  deadlineMs: number;
  /** `Lambda-Runtime-Trace-Id`, also exported as `_X_AMZN_TRACE_ID` for the AWS SDK. */
  traceId: string | undefined;
  /** Milliseconds left before the deadline (never negative; `Infinity` without a deadline). */
  getRemainingTimeInMillis(): number;
}

/** A function handler: the event (parsed JSON) in, a JSON-serialisable result out; a rejection fails it. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

/** Options of {@link runLambda} and {@link startLambda}; the defaults are what Lambda provides. */
export interface RuntimeOptions {
  /** `host:port` of the Runtime API (default: `AWS_LAMBDA_RUNTIME_API`). */
  runtimeApi?: string;
  /** Stop after this many invocations (tests); by default the loop runs until the process is frozen or killed. */
  maxInvocations?: number;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The error body that Lambda expects on `/error` and `/init/error`. */
export interface RuntimeErrorBody {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

const API_VERSION = "2018-06-01";

/**
 * Describes a thrown value as the Runtime API's error body: the error's name (or its class name) as `errorType`,
 * its message, and its stack split into lines. Non-`Error` values become `errorType: "NonError"`.
 *
 * @example
 * ```ts
 * import { errorBody } from "./lambda_runtime.ts";
 * errorBody(new RangeError("bad run id")); // { errorType: "RangeError", errorMessage: "bad run id", ... }
 * ```
 */
export function errorBody(err: unknown): RuntimeErrorBody {
  if (err instanceof Error) {
    const named = err.name && err.name !== "Error" ? err.name : err.constructor?.name;
    const stack = (err.stack ?? "").split("\n").slice(1).map((line) => line.trim()).filter(Boolean);
    return { errorType: named || "Error", errorMessage: err.message, stackTrace: stack };
  }
  let message: string;
  try {
    message = typeof err === "string" ? err : JSON.stringify(err) ?? String(err);
  } catch {
    message = String(err);
  }
  return { errorType: "NonError", errorMessage: message, stackTrace: [] };
}

/** The base URL of the Runtime API. @throws Error when no address is given and `AWS_LAMBDA_RUNTIME_API` is unset. */
function baseUrl(options: RuntimeOptions): string {
  const api = options.runtimeApi ?? Deno.env.get("AWS_LAMBDA_RUNTIME_API");
  if (!api) {
    throw new Error("AWS_LAMBDA_RUNTIME_API is not set: this entry point runs only inside AWS Lambda");
  }
  return `http://${api}/${API_VERSION}/runtime`;
}

async function post(
  doFetch: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const res = await doFetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  await res.body?.cancel();
  return res;
}

async function postError(doFetch: typeof fetch, url: string, err: unknown): Promise<void> {
  const body = errorBody(err);
  const res = await post(doFetch, url, JSON.stringify(body), {
    "Lambda-Runtime-Function-Error-Type": body.errorType,
  });
  if (!res.ok) throw new Error(`Runtime API rejected the error report at ${url}: HTTP ${res.status}`);
}

function contextOf(headers: Headers): LambdaContext {
  const awsRequestId = headers.get("lambda-runtime-aws-request-id");
  if (!awsRequestId) throw new Error("Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id");
  const deadline = Number(headers.get("lambda-runtime-deadline-ms") ?? NaN);
  const traceId = headers.get("lambda-runtime-trace-id") ?? undefined;
  return {
    awsRequestId,
    invokedFunctionArn: headers.get("lambda-runtime-invoked-function-arn") ?? "",
    deadlineMs: deadline,
    traceId,
    getRemainingTimeInMillis: () => Number.isFinite(deadline) ? Math.max(0, deadline - Date.now()) : Infinity,
  };
}

/**
 * Runs `handler` for each invocation the Runtime API hands out, forever (or `maxInvocations` times).
 *
 * A handler that resolves has its result posted to `/response` as JSON (`undefined` becomes `null`). A handler that
 * throws or rejects, or whose result is not JSON-serialisable, or an event body that is not JSON, has
 * `{errorType, errorMessage, stackTrace}` posted to `/error` and logged on stderr (CloudWatch).
 *
 * @throws Error when the Runtime API is unreachable or answers `/next` with an error status: the process should
 *   then exit, and Lambda restarts it.
 */
export async function runLambda(handler: LambdaHandler, options: RuntimeOptions = {}): Promise<void> {
  const base = baseUrl(options);
  const doFetch = options.fetch ?? fetch;
  for (let n = 0; options.maxInvocations === undefined || n < options.maxInvocations; n++) {
    const next = await doFetch(`${base}/invocation/next`);
    if (!next.ok) {
      const text = await next.text();
      throw new Error(
        `Runtime API answered /invocation/next with HTTP ${next.status}: ${text.slice(0, 500)}`,
      );
    }
    const raw = await next.text();
    const context = contextOf(next.headers);
    const id = encodeURIComponent(context.awsRequestId);
    if (context.traceId) Deno.env.set("_X_AMZN_TRACE_ID", context.traceId);
    else Deno.env.delete("_X_AMZN_TRACE_ID");
    let body: string;
    setLogContext({ requestId: context.awsRequestId });
    try {
      const event: unknown = raw === "" ? null : JSON.parse(raw);
      const result = await handler(event, context);
      body = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      const { errorType, errorMessage } = errorBody(err);
      log("error", "lambda", "invocation failed", {
        requestId: context.awsRequestId,
        errorType,
        errorMessage,
        stack: err instanceof Error ? err.stack : undefined,
      });
      await postError(doFetch, `${base}/invocation/${id}/error`, err);
      setLogContext({});
      continue;
    }
    const res = await post(doFetch, `${base}/invocation/${id}/response`, body);
    if (!res.ok) {
      // e.g. 413 when the result exceeds Lambda's payload limit: report it as the invocation's error.
      const err = new Error(`Runtime API rejected the response (HTTP ${res.status}, ${body.length} bytes)`);
      err.name = "Runtime.ResponseRejected";
      log("error", "lambda", err.message, { requestId: context.awsRequestId });
      await postError(doFetch, `${base}/invocation/${id}/error`, err);
    }
    setLogContext({});
  }
}

/**
 * Reports an initialisation error (the handler module failed to load) to `/runtime/init/error`.
 *
 * @throws Error when the Runtime API rejects the report.
 */
export async function reportInitError(err: unknown, options: RuntimeOptions = {}): Promise<void> {
  const { errorType, errorMessage } = errorBody(err);
  log("error", "lambda", "initialisation failed", {
    errorType,
    errorMessage,
    stack: err instanceof Error ? err.stack : undefined,
  });
  await postError(options.fetch ?? fetch, `${baseUrl(options)}/init/error`, err);
}

/**
 * Loads a handler module and runs the loop on its `handler` export. When loading fails (the module throws while
 * evaluating, or exports no `handler` function), the error goes to `/runtime/init/error` and is rethrown, so the
 * process exits non-zero as Lambda expects.
 *
 * @example
 * ```ts ignore
 * import { startLambda } from "./lambda_runtime.ts";
 * await startLambda(() => import("../../main/load.ts"));
 * ```
 * @throws the load error after reporting it, or the loop's own error (see {@link runLambda}).
 */
export async function startLambda(
  load: () => Promise<Record<string, unknown>>,
  options: RuntimeOptions = {},
): Promise<void> {
  let handler: LambdaHandler;
  try {
    const mod = await load();
    if (typeof mod.handler !== "function") {
      throw new TypeError(
        `The handler module exports no "handler" function (exports: ${Object.keys(mod).join(", ")})`,
      );
    }
    handler = mod.handler as LambdaHandler;
  } catch (err) {
    await reportInitError(err, options);
    throw err;
  }
  await runLambda(handler, options);
}
