/**
 * `etl status` freshness that does not mislead (issue 12): department, which has no dimension of its own, is
 * compared with what the loaded runs captured (not with dim_staff, whose version is staff's when staff changed
 * later); a repair run (`etl reconcile --repair`), whose manifest records no newest change, does not hide the
 * capture's. Real services, the command line.
 *
 * @module
 */
import assert from "node:assert/strict";
import { etl, withPipeline } from "../adversarial/_helpers.ts";
import type { PipelineStatus } from "../../lib/status/mod.ts";

async function status(p: Parameters<typeof etl>[0]): Promise<Record<string, PipelineStatus["tables"][0]>> {
  const res = await etl(p, ["status", "--json"]);
  assert.equal(res.code, 0, res.stderr);
  return Object.fromEntries((JSON.parse(res.stdout) as PipelineStatus).tables.map((t) => [t.table, t]));
}

Deno.test("etl status: department's freshness is its own, and a repair run does not blank freshness", () =>
  withPipeline("stfresh", async (p) => {
    // staff changes later than any department: dim_staff's newest version is staff's
    await p.src.sql`UPDATE staff SET last_updated = '2030-01-01 00:00:00' WHERE staff_id = 1`;
    const [dept] = await p.src.sql`SELECT to_char(max(last_updated), 'YYYY-MM-DD HH24:MI:SS.US') AS lu
      FROM department`;
    assert.equal((await etl(p, ["run"])).code, 0);
    let t = await status(p);
    assert.deepEqual(
      [t.department!.newestInSource, t.department!.newestLoaded, t.department!.lagSeconds],
      [dept!.lu, dept!.lu, 0],
    );
    assert.deepEqual([t.staff!.newestInSource, t.staff!.newestLoaded], [
      "2030-01-01 00:00:00.000000",
      "2030-01-01 00:00:00.000000",
    ]);

    // a department change not yet loaded shows as behind
    await p.src.sql`UPDATE department SET location = 'Leeds', last_updated = '2031-01-01 00:00:00'
      WHERE department_id = 1`;
    assert.equal((await etl(p, ["ingest"])).code, 0);
    t = await status(p);
    assert.deepEqual([t.department!.newestInSource, t.department!.newestLoaded], [
      "2031-01-01 00:00:00.000000",
      dept!.lu,
    ]);
    assert.ok(t.department!.lagSeconds! > 0);
    assert.equal((await etl(p, ["run"])).code, 0);

    // a hand edit in the warehouse, repaired through the lake: the repair run is the latest manifest
    await p.wh.sql`UPDATE dim_currency SET currency_name = 'edited by hand' WHERE currency_id = 1`;
    const repair = await etl(p, ["reconcile", "--repair"]);
    assert.equal(repair.code, 0, repair.stderr + repair.stdout);
    t = await status(p);
    for (const x of Object.values(t)) {
      assert.notEqual(x.newestInSource, null, `${x.table} lost its freshness after the repair run`);
      assert.equal(x.lagSeconds, 0, x.table);
    }
    assert.equal(t.department!.newestInSource, "2031-01-01 00:00:00.000000");
  }));
