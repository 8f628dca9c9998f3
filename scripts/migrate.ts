/**
 * `deno task migrate`: brings the warehouse schema up to date (WAREHOUSE_DATABASE_URL or WAREHOUSE_SECRET_ARN).
 *
 * @module
 */
import { connect } from "../lib/io/pg.ts";
import { migrate, MIGRATIONS } from "../lib/load/migrations.ts";
import { databaseTls, databaseUrl } from "../main/config.ts";

const sql = connect(await databaseUrl("WAREHOUSE"), {
  max: 1,
  applicationName: "totes-migrate",
  tls: databaseTls(),
});
try {
  const applied = await migrate(sql);
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  console.log(
    applied.length > 0
      ? `Applied migration(s) ${applied.join(", ")}; the warehouse is at version ${latest}`
      : `The warehouse is up to date (version ${latest})`,
  );
} catch (err) {
  console.error(`Error: ${(err as Error).message}`);
  Deno.exitCode = 1;
} finally {
  await sql.end();
}
