/**
 * Ports for tests.
 *
 * @module
 */
import net from "node:net";

/** A TCP port on 127.0.0.1 where nothing listens right now (bound, read, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
