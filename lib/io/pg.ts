/**
 * PostgreSQL adapter: opens postgres.js connections configured for exact values.
 *
 * - Every session runs in UTC (`timezone=UTC`), so nothing depends on the machine's `TZ`.
 * - `timestamp`, `timestamptz`, `date`, `time`, `numeric` and `int8` are returned as the server's text, never as a
 *   JS `Date` or float: timestamps keep all six fractional digits and money stays exact.
 * - TLS is used when the server offers it (`ssl: "prefer"`), unless the URL says otherwise (`sslmode=`).
 *
 * @module
 */
import postgres from "postgres";
import net from "node:net";
import { once } from "node:events";

/** A postgres.js client. */
export type Sql = postgres.Sql;

/** OIDs whose text form is kept as is: int8, numeric, date, time, timestamp, timestamptz, timetz, interval. */
const TEXT_OIDS = [20, 1700, 1082, 1083, 1114, 1184, 1266, 1186];

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Largest number of pooled connections (default 4). */
  max?: number;
  /** Name shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /** Which database this is, for messages (`ToteSys`, `warehouse`). */
  label?: string;
}

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

/**
 * Opens a connection pool to the database at `url` (a `postgres://` URL).
 *
 * Values come back as described in the module doc. The caller must `await sql.end()`.
 *
 * @throws Error when `url` is empty or not a postgres URL (the URL itself is never quoted: it holds a password).
 */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      "Database URL must start with postgres:// (check TOTESYS_DATABASE_URL / WAREHOUSE_DATABASE_URL)",
    );
  }
  const types: Record<string, postgres.PostgresType> = {};
  for (const oid of TEXT_OIDS) {
    types[`t${oid}`] = {
      to: oid,
      from: [oid],
      serialize: (x: unknown) => String(x),
      parse: (x: string) => x,
    };
  }
  const hasSslMode = /[?&]sslmode=/.test(url);
  return postgres(url, {
    // not in postgres.js's type declarations, but a documented option ("socket: custom socket")
    ...({ socket: (o: SocketOptions) => noDelaySocket(o, options.label ?? "database") } as Record<
      string,
      unknown
    >),
    max: options.max ?? 4,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "terrific-totes-etl", TimeZone: "UTC" },
    types,
    ...(hasSslMode ? {} : { ssl: "prefer" as const }),
    idle_timeout: 20,
  });
}

/**
 * Opens the TCP connection with Nagle's algorithm off. Under Deno, node:net sockets do not default to
 * `noDelay`, and a COPY (CopyData then CopyDone, two small writes) then waits for the server's delayed ACK: about
 * 40 ms per COPY and per statement after it. postgres.js adds TLS on top of this socket when the server offers it.
 */
async function noDelaySocket(options: SocketOptions, label: string): Promise<net.Socket> {
  const host = options.host?.[0] ?? "localhost";
  const port = options.port?.[0] ?? 5432;
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  // A timer that is cleared once connected: an AbortSignal.timeout() would keep the process alive for 30 s.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  try {
    await once(socket, "connect", { signal: abort.signal });
  } catch (err) {
    socket.destroy();
    const reason = (err as Error).name === "AbortError" ? "timed out after 30 s" : (err as Error).message;
    throw new Error(`Cannot connect to the ${label} PostgreSQL at ${host}:${port}: ${reason}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
  // A close this process did not ask for: the server (or the network) dropped the connection.
  let local = false;
  let lastError: Error | undefined;
  const end = socket.end.bind(socket);
  const destroy = socket.destroy.bind(socket);
  socket.end = ((...a: Parameters<typeof socket.end>) => {
    local = true;
    return end(...a);
  }) as typeof socket.end;
  socket.destroy = ((e?: Error) => {
    local = true;
    return destroy(e);
  }) as typeof socket.destroy;
  socket.on("error", (e) => lastError = e);
  socket.on("end", () => {
    if (!local) connectionLost?.({ label, host, port, ...(lastError ? { error: lastError } : {}) });
  });
  socket.on("close", () => {
    if (!local) connectionLost?.({ label, host, port, ...(lastError ? { error: lastError } : {}) });
    local = true;
  });
  return socket;
}

/** The socket options postgres.js passes. */
interface SocketOptions {
  host?: string[];
  port?: number[];
}
