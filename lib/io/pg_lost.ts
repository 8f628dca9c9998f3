/**
 * What happens when a PostgreSQL server drops a connection this process still uses (stopped, restarted, cut by
 * the network: C2, C3): what is in flight fails at once with an error naming the database, never a hang. Used by
 * pg.ts's sockets and pools; see {@link guardLostConnection} for the postgres.js 3.4.9 behaviour it works around.
 *
 * @module
 */
import type net from "node:net";
import type { Sql } from "./pg.ts";

/** Called when a server closes a connection this process did not close (the database went away: C2, C3). */
export type ConnectionLostHandler = (
  lost: { label: string; host: string; port: number; error?: Error },
) => void;

let connectionLost: ConnectionLostHandler | undefined;

/**
 * Sets what happens when a server drops a connection (default: nothing, postgres.js reports it on the next query).
 * postgres.js 3.4.9 can leave a query pending for ever when its socket closes mid-COPY or mid-statement, so the
 * command line sets a handler that ends the process at once with the error (exit 1) instead of hanging.
 */
export function setConnectionLostHandler(handler: ConnectionLostHandler | undefined): void {
  connectionLost = handler;
}

/** The errors made here for a lost connection: each also reaches whoever awaits a statement on that connection. */
const lostErrors = new WeakSet<Error>();
let unhandledGuarded = false;

/**
 * Drops an unhandled rejection, or an uncaught exception, with one of this module's lost-connection errors.
 * postgres.js 3.4.9 starts a new
 * connection's type query from a message handler and drops its promise (connection.js `fetchArrayTypes`): when the
 * server goes away while a connection opens, that query rejects with the named error and nobody handles it, and
 * Deno ends the process on an unhandled rejection before the run can report its own error (seen on a loaded
 * machine in the Lambda tests). Likewise a late copy of the error thrown from an event once postgres.js has let go
 * of the socket (seen on a loaded machine in tests/cli/db_lost_test.ts, after the connection's own test had
 * passed). The same error reaches every statement awaited on that connection, so nothing is lost by dropping the
 * copy. Any other unhandled rejection or uncaught exception still ends the process.
 */
function guardUnhandledLostErrors(): void {
  if (unhandledGuarded) return;
  unhandledGuarded = true;
  globalThis.addEventListener("unhandledrejection", (e) => {
    if (e.reason instanceof Error && lostErrors.has(e.reason)) e.preventDefault();
  });
  globalThis.addEventListener("error", (e) => {
    if (e.error instanceof Error && lostErrors.has(e.error)) e.preventDefault();
  });
}

/** What the sockets of one pool tell the pool: whether the server dropped one of them. */
export interface PoolState {
  lost: boolean;
  /** `close` events held back from postgres.js (see guardLostConnection), delivered when the pool ends. */
  heldCloses: (() => void)[];
}

/** A pool's state before any connection was lost. */
export function newPoolState(): PoolState {
  return { lost: false, heldCloses: [] };
}

/** postgres.js's codes for a connection that closed under a statement or transaction. */
const CLOSED_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED"]);

/**
 * Names the database in postgres.js's own "connection closed" errors (`write CONNECTION_CLOSED host:port`), which
 * a transaction rejects with when its connection goes away (C2, C3).
 */
function relabel(err: unknown, label: string): unknown {
  const e = err as { code?: unknown; message?: string; address?: string; port?: number };
  if (err instanceof Error && typeof e.code === "string" && CLOSED_CODES.has(e.code)) {
    err.message = `The ${label} PostgreSQL at ${e.address ?? "?"}:${e.port ?? "?"} closed the connection ` +
      `(${e.code})`;
  }
  return err;
}

/**
 * Wraps `sql.begin` so a transaction whose connection went away rejects naming the database, and `sql.end` so it
 * never waits for ever: after a server dropped one of the pool's connections, postgres.js can keep that
 * connection's statement pending, and `end()` would wait for it; it then closes the connections at once (an
 * explicit `timeout` is kept).
 */
export function withLostConnectionHandling(sql: Sql, label: string, pool: PoolState): Sql {
  const begin = sql.begin.bind(sql) as (...a: unknown[]) => Promise<unknown>;
  const end = sql.end.bind(sql);
  Object.assign(sql, {
    begin: (...a: unknown[]) => begin(...a).catch((err) => Promise.reject(relabel(err, label))),
    end: (options: { timeout?: number } = {}) =>
      end(options.timeout !== undefined ? options : pool.lost ? { timeout: 0 } : {}).finally(() => {
        for (const deliver of pool.heldCloses.splice(0)) deliver();
      }),
  });
  return sql;
}

/** How long a lost connection's `close` event is held back from postgres.js (see guardLostConnection). */
const CLOSE_HOLD_MS = 500;

/**
 * Watches `socket` (the one postgres.js speaks on) for a close this process did not ask for: the server stopped or
 * restarted, or the network cut the connection (C2, C3). postgres.js 3.4.9 handles that badly: on a plain close it
 * fails a COPY by way of its stream's cleanup, which writes to the socket it has just dropped (`Cannot read
 * properties of null (reading 'write')`), leaves the statement pending for ever, reconnects for ever while
 * connecting, and any later statement on a reserved connection throws from a timer. So once the connection is
 * lost:
 * - the socket is destroyed with an error naming the database, which postgres.js passes to what is in flight;
 * - every later write fails the same way (so a `ROLLBACK` or an unlock on that connection rejects at once);
 * - the `close` event reaches postgres.js only {@link CLOSE_HOLD_MS} later (or when the pool ends), so the
 *   statements that follow a failure at once (a rollback, an unlock, on a reserved connection) still find the
 *   socket and fail with that error; then postgres.js drops the connection, which also fails a transaction whose
 *   `ROLLBACK` it queued behind the failed statement.
 *
 * The process-wide {@link setConnectionLostHandler} handler is called once per lost connection.
 */
export function guardLostConnection<S extends net.Socket>(
  socket: S,
  label: string,
  host: string,
  port: number,
  pool: PoolState,
): S {
  guardUnhandledLostErrors();
  let local = false;
  let lostError: Error | undefined;
  const end = socket.end.bind(socket);
  const destroy = socket.destroy.bind(socket);
  const emit = socket.emit.bind(socket) as Emit;
  socket.end = ((...a: Parameters<typeof socket.end>) => {
    local = true;
    return end(...a);
  }) as typeof socket.end;
  socket.destroy = ((e?: Error) => {
    if (!e) local = true; // with an error: the stream's own reaction to a reset, not this process's choice
    return destroy(e);
  }) as typeof socket.destroy;
  const lose = (cause?: Error) => {
    if (local || lostError) return;
    lostError = new Error(
      `The ${label} PostgreSQL at ${host}:${port} closed the connection${cause ? ` (${cause.message})` : ""}`,
      { cause },
    );
    lostErrors.add(lostError);
    pool.lost = true;
    connectionLost?.({ label, host, port, ...(cause ? { error: cause } : {}) });
    socket.write = failingWrite(socket, lostError);
    // a socket already destroyed (a reset) emits nothing more: pass the named error on by hand
    if (socket.destroyed) setTimeout(() => socket.emit("error", lostError), 0);
    else destroy(lostError);
  };
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === "close" && !local) lose();
    if (event === "close" && lostError) {
      holdClose(pool, () => emit("close", ...args));
      return true;
    }
    if (event === "error" && !lostError && !local) {
      lose(args[0] as Error); // a reset: the named error goes on instead
      return true;
    }
    // postgres.js drops its listeners once it has given the connection up; an `error` with no listener would be
    // thrown as an uncaught exception (seen on a loaded machine, the held-back error arriving after that)
    if (event === "error" && args[0] === lostError && socket.listenerCount("error") === 0) return false;
    return emit(event, ...args);
  }) as typeof socket.emit;
  socket.on("end", () => lose());
  return socket;
}

/** A socket's original `emit`. */
type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

/** A `socket.write` that fails every write with `error` (as an `error` event and through the callback). */
function failingWrite(socket: net.Socket, error: Error): net.Socket["write"] {
  return ((_chunk: unknown, a?: unknown, b?: unknown) => {
    const callback = typeof a === "function" ? a : typeof b === "function" ? b : undefined;
    setTimeout(() => {
      socket.emit("error", error); // through guardLostConnection's emit: dropped once nobody listens
      (callback as ((e: Error) => void) | undefined)?.(error);
    }, 0);
    return true;
  }) as net.Socket["write"];
}

/** Delivers `close` to postgres.js {@link CLOSE_HOLD_MS} from now, or when the pool ends if sooner. */
function holdClose(pool: PoolState, close: () => void): void {
  let delivered = false;
  const deliver = () => {
    if (delivered) return;
    delivered = true;
    clearTimeout(timer);
    close();
  };
  const timer = setTimeout(deliver, CLOSE_HOLD_MS);
  pool.heldCloses.push(deliver);
}
