/**
 * A local stand-in of the Lambda Runtime API (an HTTP server on 127.0.0.1, random port) for the packaging tests.
 * It hands out queued invocations on `/invocation/next`, records every POST, and holds `/next` open once the queue
 * is empty, as Lambda does between invocations.
 *
 * @module
 */

/** One queued invocation. */
export interface StubInvocation {
  requestId: string;
  /** The event body sent as is (a string) or as JSON. */
  event: unknown;
  deadlineMs?: number;
  traceId?: string;
}

/** A POST the runtime made. */
export interface StubPost {
  path: string;
  headers: Headers;
  body: string;
}

/** The running stub. */
export interface RuntimeApiStub {
  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  address: string;
  posts: StubPost[];
  /** Resolves when `count` POSTs have arrived; rejects after `ms`. */
  waitForPosts(count: number, ms?: number): Promise<StubPost[]>;
  close(): Promise<void>;
}

const PREFIX = "/2018-06-01/runtime";

/** Starts the stub with `invocations` queued. */
export function startRuntimeApiStub(invocations: StubInvocation[]): RuntimeApiStub {
  const queue = [...invocations];
  const posts: StubPost[] = [];
  const waiters: Array<() => void> = [];
  const held: Array<(r: Response) => void> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === `${PREFIX}/invocation/next`) {
      const inv = queue.shift();
      if (!inv) return await new Promise<Response>((resolve) => held.push(resolve));
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "Lambda-Runtime-Aws-Request-Id": inv.requestId,
        "Lambda-Runtime-Deadline-Ms": String(inv.deadlineMs ?? Date.now() + 60_000),
        "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:eu-west-2:123456789012:function:fixture",
      };
      if (inv.traceId) headers["Lambda-Runtime-Trace-Id"] = inv.traceId;
      const body = typeof inv.event === "string" ? inv.event : JSON.stringify(inv.event);
      return new Response(body, { headers });
    }
    if (req.method === "POST" && path.startsWith(PREFIX)) {
      posts.push({ path: path.slice(PREFIX.length), headers: req.headers, body: await req.text() });
      for (const w of waiters.splice(0)) w();
      return new Response(JSON.stringify({ status: "OK" }), { status: 202 });
    }
    return new Response("not found", { status: 404 });
  });
  const address = `127.0.0.1:${server.addr.port}`;
  return {
    address,
    posts,
    async waitForPosts(count, ms = 30_000) {
      const until = Date.now() + ms;
      while (posts.length < count) {
        const left = until - Date.now();
        if (left <= 0) throw new Error(`Runtime API stub: ${posts.length} of ${count} POSTs after ${ms} ms`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
      }
      return posts;
    },
    async close() {
      for (const r of held.splice(0)) r(new Response("shutting down", { status: 500 }));
      await server.shutdown();
    },
  };
}
