/**
 * What a failed connection says (new-user pass, issue 15 session): the database, its host and port, the variable
 * to check and, locally, `make local-up`; never the password.
 */
import assert from "node:assert/strict";
import { connectChecked } from "../../lib/io/pg.ts";
import { closedPort } from "../_ports.ts";

Deno.test("a refused connection names the database, the variable to check and make local-up, not the password", async () => {
  const port = await closedPort();
  const url = `postgres://etl:s3cret-pw@127.0.0.1:${port}/warehouse`;
  const err = await connectChecked(url, { label: "warehouse", source: "WAREHOUSE_DATABASE_URL", max: 1 })
    .then(() => null, (e: Error) => e);
  assert.ok(err, "the connection must fail");
  assert.match(
    err.message,
    new RegExp(`^Cannot connect to the warehouse PostgreSQL at 127\\.0\\.0\\.1:${port}: `),
  );
  assert.match(err.message, /ECONNREFUSED/);
  assert.match(err.message, /\(check WAREHOUSE_DATABASE_URL; locally, make local-up starts the services\)$/);
  assert.doesNotMatch(err.message, /s3cret-pw/);
});
