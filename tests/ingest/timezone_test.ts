import assert from "node:assert/strict";
import { freshBucket, freshDatabase } from "../harness.ts";
import { createBaseTotesys } from "../fixtures/totesys_rows.ts";
import type { Bucket } from "../../lib/io/s3.ts";

async function ingestUnder(tz: string, url: string, bucket: Bucket): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../main/ingest.ts", import.meta.url).pathname],
    env: { TZ: tz, TOTESYS_DATABASE_URL: url, INGESTION_BUCKET: bucket.name },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(result.status, "committed");
  const key = (await bucket.list("sales_order/"))[0]!;
  return new TextDecoder().decode(await bucket.get(key)).trimEnd().split("\n").sort();
}

Deno.test("timestamps survive byte for byte whatever the process time zone (UTC, Pacific/Chatham, America/St_Johns)", async () => {
  const db = await freshDatabase("tz");
  try {
    await createBaseTotesys(db.sql);
    await db.sql.unsafe(`ALTER TABLE sales_order ALTER COLUMN last_updated TYPE timestamp(6)`);
    await db.sql`UPDATE sales_order SET last_updated = '2024-11-13 10:00:00.500123' WHERE sales_order_id = 1`;
    const utc = await ingestUnder("UTC", db.url, await freshBucket("tzu"));
    assert.equal(JSON.parse(utc[0]!).created_at, "2022-11-03 14:20:52.186000");
    assert.equal(JSON.parse(utc[0]!).last_updated, "2024-11-13 10:00:00.500123");
    assert.equal(JSON.parse(utc[0]!).unit_price, "3.94");
    for (const tz of ["Pacific/Chatham", "America/St_Johns"]) {
      assert.deepEqual(await ingestUnder(tz, db.url, await freshBucket("tzx")), utc, tz);
    }
  } finally {
    await db.drop();
  }
});
