/**
 * The PostgreSQL 13 test server (the live ToteSys version) behind freshDatabase13: its version, and the features
 * tests of the capture rely on there (PREPARE TRANSACTION for a writer left in flight, pg_current_snapshot()).
 */
import assert from "node:assert/strict";
import { freshDatabase13, type TestDatabase } from "../harness.ts";

const haveServer = Boolean(Deno.env.get("TOTESYS13_DATABASE_URL"));
if (!haveServer) {
  console.warn(
    "pg13_test: TOTESYS13_DATABASE_URL is unset (no PostgreSQL 13 server): the PostgreSQL 13 tests are skipped",
  );
}

async function withDatabase13(fn: (db: TestDatabase) => Promise<void>): Promise<void> {
  const db = await freshDatabase13("pg13");
  assert.ok(db, "freshDatabase13 gave null although TOTESYS13_DATABASE_URL is set");
  try {
    await fn(db);
  } finally {
    await db.drop();
  }
}

Deno.test({
  name: "freshDatabase13 is on a PostgreSQL 13 server",
  ignore: !haveServer,
  fn: () =>
    withDatabase13(async (db) => {
      const [row] = await db.sql<{ v: number; name: string }[]>`
        SELECT current_setting('server_version_num')::int AS v, current_database() AS name`;
      assert.ok(row!.v >= 130000 && row!.v <= 139999, `server_version_num ${row!.v}`);
      assert.equal(row!.name, db.name);
    }),
});

Deno.test({
  name: "PostgreSQL 13: PREPARE TRANSACTION leaves a transaction in flight that pg_current_snapshot() sees",
  ignore: !haveServer,
  fn: () =>
    withDatabase13(async (db) => {
      await db.sql`CREATE TABLE t (id int PRIMARY KEY)`;
      const gid = `pg13_test_${db.name}`;
      const writer = await db.sql.reserve();
      try {
        await writer`BEGIN`;
        await writer`INSERT INTO t VALUES (1)`;
        const [me] = await writer<{ xid: string }[]>`SELECT pg_current_xact_id()::text AS xid`;
        const xid = me!.xid;
        await writer.unsafe(`PREPARE TRANSACTION '${gid}'`);

        const prepared = await db.sql`SELECT gid FROM pg_prepared_xacts WHERE database = ${db.name}`;
        assert.deepEqual(prepared.map((r) => r.gid), [gid]);
        assert.equal((await db.sql`SELECT id FROM t`).length, 0, "a prepared transaction is not visible yet");

        // In flight: the snapshot's xmin stays at or below its xid (xip lists only those below xmax).
        const [snap] = await db.sql<{ snapshot: string; heldBack: boolean; visible: boolean }[]>`
          SELECT pg_current_snapshot()::text AS snapshot,
                 pg_snapshot_xmin(pg_current_snapshot()) <= ${xid}::xid8 AS "heldBack",
                 pg_visible_in_snapshot(${xid}::xid8, pg_current_snapshot()) AS visible`;
        assert.match(snap!.snapshot, /^\d+:\d+:[\d,]*$/);
        assert.equal(snap!.heldBack, true, `xid ${xid}, snapshot ${snap!.snapshot}`);
        assert.equal(snap!.visible, false, `xid ${xid}, snapshot ${snap!.snapshot}`);

        await db.sql.unsafe(`COMMIT PREPARED '${gid}'`);
        assert.deepEqual((await db.sql`SELECT id FROM t`).map((r) => r.id), [1]);
        assert.equal((await db.sql`SELECT 1 FROM pg_prepared_xacts WHERE gid = ${gid}`).length, 0);
      } finally {
        writer.release();
        // A prepared transaction outlives its session and would keep the database from being dropped.
        const left = await db.sql`SELECT 1 FROM pg_prepared_xacts WHERE gid = ${gid}`;
        if (left.length > 0) await db.sql.unsafe(`ROLLBACK PREPARED '${gid}'`);
      }
    }),
});
