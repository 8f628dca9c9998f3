/**
 * A TCP proxy in front of a PostgreSQL server that a test can cut, to make a database "go away" mid-run without
 * stopping the shared server (C2, C3).
 *
 * @module
 */
import net from "node:net";
import { Buffer } from "node:buffer";

/** A running proxy: its port, and `cut()` that destroys every connection and refuses new ones. */
export interface CuttableProxy {
  port: number;
  /** Connections made so far. */
  connections(): number;
  cut(): void;
  /** When the proxy was cut (`performance.now()`), or null. */
  cutAt(): number | null;
  close(): Promise<void>;
}

/**
 * Cuts the proxy by itself once this many bytes have passed in one direction (`up`: client to server, e.g. a
 * COPY FROM; `down`: server to client, e.g. a COPY TO): a cut in the middle of a bulk transfer, whatever the
 * machine's speed.
 */
export interface CutAfter {
  direction: "up" | "down";
  bytes: number;
  /**
   * Count bytes only once this text has passed in that direction (e.g. `INSERT INTO fact_sales_order`: a cut
   * while the server runs that statement, with `bytes: 0` and `delayMs`).
   */
  after?: string;
  /** Cut this many milliseconds after the threshold is reached (default: at once). */
  delayMs?: number;
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to `host:port`. */
export async function startProxy(host: string, port: number, cutAfter?: CutAfter): Promise<CuttableProxy> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  let cut = false;
  let cutTime: number | null = null;
  let passed = 0;
  let armed = cutAfter?.after === undefined;
  let tail = "";
  let scheduled = false;
  const doCut = () => {
    if (cut) return;
    cut = true;
    cutTime = performance.now();
    for (const s of sockets) s.destroy();
  };
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    count++;
    const upstream = net.connect({ host, port });
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    if (cutAfter) {
      (cutAfter.direction === "up" ? client : upstream).on("data", (chunk: Uint8Array) => {
        if (!armed) {
          // latin1 keeps one character per byte; a marker split across two chunks is caught with the tail kept
          tail = (tail + Buffer.from(chunk).toString("latin1")).slice(-(cutAfter.after!.length + 65536));
          if (!tail.includes(cutAfter.after!)) return;
          armed = true;
        }
        passed += chunk.length;
        if (passed >= cutAfter.bytes && !scheduled) {
          scheduled = true;
          if (cutAfter.delayMs) setTimeout(doCut, cutAfter.delayMs);
          else doCut();
        }
      });
    }
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    cut: doCut,
    cutAt: () => cutTime,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
