/**
 * A TCP proxy in front of a PostgreSQL server that a test can cut, to make a database "go away" mid-run without
 * stopping the shared server (C2, C3).
 *
 * @module
 */
import net from "node:net";

/** A running proxy: its port, and `cut()` that destroys every connection and refuses new ones. */
export interface CuttableProxy {
  port: number;
  /** Connections made so far. */
  connections(): number;
  cut(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to `host:port`. */
export async function startProxy(host: string, port: number): Promise<CuttableProxy> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    count++;
    const upstream = net.connect({ host, port });
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
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
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
