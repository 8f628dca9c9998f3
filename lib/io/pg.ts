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
    ...({ socket: noDelaySocket } as Record<string, unknown>),
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
async function noDelaySocket(options: { host?: string[]; port?: number[] }): Promise<net.Socket> {
  const host = options.host?.[0] ?? "localhost";
  const port = options.port?.[0] ?? 5432;
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  try {
    await once(socket, "connect", { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    socket.destroy();
    const reason = (err as Error).name === "AbortError" ? "timed out after 30 s" : (err as Error).message;
    throw new Error(`Cannot connect to PostgreSQL at ${host}:${port}: ${reason}`, { cause: err });
  }
  return socket;
}
