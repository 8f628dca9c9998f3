/**
 * The lost-connection guard of lib/io/pg_lost.ts on a real socket: a reset names the database, and an unhandled
 * rejection with that named error (postgres.js drops its type query's promise), or the same error thrown late from
 * an event, does not end the process.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { guardLostConnection, newPoolState } from "../../lib/io/pg_lost.ts";

Deno.test("a dropped connection's named error, rejected with no handler or thrown late, does not end the process", async () => {
  const server = net.createServer((s) => s.destroy()); // the server drops every connection at once
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const socket = guardLostConnection(
      net.connect(port, "127.0.0.1"),
      "ToteSys",
      "127.0.0.1",
      port,
      newPoolState(),
    );
    socket.on("error", () => {});
    await new Promise<void>((ok) => socket.once("close", () => ok()));
    const lost = await new Promise<Error>((ok) => socket.write("x", (e?: Error | null) => ok(e!)));
    assert.equal(
      lost.message.startsWith(`The ToteSys PostgreSQL at 127.0.0.1:${port} closed the connection`),
      true,
    );
    // As postgres.js's dropped type query: a rejection nobody handles. Without the guard, the test runner reports
    // it as an uncaught error and this test fails.
    Promise.reject(lost);
    await new Promise((ok) => setTimeout(ok, 50));
    // As a late copy emitted on a socket postgres.js has let go of: an uncaught exception from a timer.
    setTimeout(() => {
      throw lost;
    }, 0);
    await new Promise((ok) => setTimeout(ok, 50));
    socket.destroy();
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
  }
});
