import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import type { Sql } from "../../lib/io/pg.ts";
import {
  createTotesysSchema,
  seedDatabase,
  simulateActivity,
  type SimulateSummary,
  TOTESYS_COLUMNS,
  type TotesysTable,
} from "../../tools/totesys/mod.ts";

const TABLES = Object.keys(TOTESYS_COLUMNS) as TotesysTable[];

interface TableState {
  maxId: number;
  maxUpdated: string;
}

async function state(sql: Sql): Promise<Record<string, TableState>> {
  const rows = await sql.unsafe(
    TABLES.map((t) => `SELECT '${t}' AS t, max(${t}_id) AS id, max(last_updated)::text AS lu FROM ${t}`)
      .join(" UNION ALL "),
  );
  return Object.fromEntries(rows.map((r) => [r.t, { maxId: r.id ?? 0, maxUpdated: r.lu }]));
}

/** What the database says changed since `before`: new ids are inserts, older ids with a later last_updated updates. */
async function observed(sql: Sql, before: Record<string, TableState>, since: string) {
  const out: Record<string, { inserted: number; updated: number; earliest: string | null }> = {};
  for (const t of TABLES) {
    const [row] = await sql.unsafe(
      `SELECT count(*) FILTER (WHERE ${t}_id > $1)::int AS inserted,
              count(*) FILTER (WHERE ${t}_id <= $1)::int AS updated,
              min(last_updated)::text AS earliest,
              count(*) FILTER (WHERE ${t}_id > $1 AND created_at <> last_updated)::int AS odd_new
         FROM ${t} WHERE last_updated > $2`,
      [before[t]!.maxId, since],
    );
    const [unseen] = await sql.unsafe(
      `SELECT count(*)::int AS n FROM ${t} WHERE ${t}_id > $1 AND last_updated <= $2`,
      [
        before[t]!.maxId,
        since,
      ],
    );
    assert.equal(unseen!.n, 0, `${t}: every new row is later than the previous max`);
    assert.equal(row!.odd_new, 0, `${t}: new rows have created_at = last_updated`);
    out[t] = { inserted: row!.inserted, updated: row!.updated, earliest: row!.earliest };
  }
  return out;
}

async function checksum(sql: Sql): Promise<string> {
  const parts = [];
  for (const t of TABLES) {
    const [row] = await sql.unsafe(
      `SELECT md5(string_agg(x::text, ',' ORDER BY x.${t}_id)) AS h FROM ${t} x`,
    );
    parts.push(row!.h as string);
  }
  return parts.join(":");
}

function assertSummaryMatches(
  summary: SimulateSummary,
  seen: Awaited<ReturnType<typeof observed>>,
  before: Record<string, TableState>,
) {
  for (const t of TABLES) {
    assert.deepEqual(
      { inserted: seen[t]!.inserted, updated: seen[t]!.updated },
      summary.tables[t],
      `${t}: the summary is what the database shows`,
    );
    if (seen[t]!.earliest !== null) {
      assert.ok(
        seen[t]!.earliest! > before[t]!.maxUpdated,
        `${t}: changes are after the table's previous max`,
      );
    }
  }
}

Deno.test("simulateActivity: N changes are exactly the rows it reports, all later than every previous max", async () => {
  const db = await freshDatabase("sim");
  try {
    await seedDatabase(db.sql, { orders: 300, seed: 3, createSchema: true });
    const before = await state(db.sql);
    const globalMax = Object.values(before).map((s) => s.maxUpdated).sort().at(-1)!;
    const [unpaidBefore] = await db.sql`SELECT array_agg(payment_id ORDER BY payment_id) AS ids FROM payment
                                         WHERE NOT paid`;

    const summary = await simulateActivity(db.sql, { changes: 250, seed: 9 });
    assert.equal(summary.total, 250);
    assert.equal(summary.since, globalMax);
    assert.ok(summary.until > summary.since);
    const sum = Object.values(summary.tables).reduce((a, t) => a + t.inserted + t.updated, 0);
    assert.equal(sum, 250);
    assert.ok(summary.tables.sales_order.inserted > 0 && summary.tables.payment.updated > 0);
    assert.equal(summary.tables.transaction.inserted, summary.tables.payment.inserted);
    assert.equal(
      summary.tables.transaction.inserted,
      summary.tables.sales_order.inserted + summary.tables.purchase_order.inserted,
    );
    assert.equal(summary.tables.counterparty.updated, 0);

    const seen = await observed(db.sql, before, summary.since);
    assertSummaryMatches(summary, seen, before);
    const [maxNow] = await db.sql`SELECT max(last_updated)::text AS v FROM payment`;
    assert.ok(maxNow!.v <= summary.until);

    // Updated payments went from unpaid to paid; new payments start unpaid, and every new order has its
    // transaction and payment (the foreign keys are enforced by the schema).
    const [pay] = await db.sql`
      SELECT bool_and(paid AND payment_id = ANY (${unpaidBefore!.ids}::int[])) FILTER (WHERE payment_id <= ${
      before.payment!.maxId
    }) AS paid_ok,
             bool_and(NOT paid) FILTER (WHERE payment_id > ${before.payment!.maxId}) AS new_unpaid
        FROM payment WHERE last_updated > ${summary.since}`;
    assert.deepEqual({ ...pay }, { paid_ok: true, new_unpaid: true });
    const [links] = await db.sql`
      SELECT (SELECT count(*) FROM sales_order s WHERE s.sales_order_id > ${before.sales_order!.maxId}
                AND NOT EXISTS (SELECT 1 FROM transaction t JOIN payment p USING (transaction_id)
                                 WHERE t.sales_order_id = s.sales_order_id
                                   AND p.payment_amount = s.units_sold * s.unit_price))::int AS orphans,
             (SELECT count(*) FROM counterparty c JOIN address a ON a.address_id = c.legal_address_id
               WHERE c.counterparty_id > ${before.counterparty!.maxId}
                 AND a.address_id <= ${before.address!.maxId})::int AS reused_address`;
    assert.deepEqual({ ...links }, { orphans: 0, reused_address: 0 });

    // A second run continues after the first one.
    const again = await simulateActivity(db.sql, { changes: 1, seed: 9 });
    assert.equal(again.total, 1);
    assert.equal(again.since, summary.until);
  } finally {
    await db.drop();
  }
});

Deno.test("simulateActivity: deterministic given the seed and the database state", async () => {
  const [a, b, c] = await Promise.all([freshDatabase("sima"), freshDatabase("simb"), freshDatabase("simc")]);
  try {
    await Promise.all(
      [a, b, c].map((d) => seedDatabase(d.sql, { orders: 200, seed: 11, createSchema: true })),
    );
    const [sa, sb, sc] = await Promise.all([
      simulateActivity(a.sql, { changes: 120, seed: 4 }),
      simulateActivity(b.sql, { changes: 120, seed: 4 }),
      simulateActivity(c.sql, { changes: 120, seed: 5 }),
    ]);
    assert.deepEqual(sb, sa);
    assert.equal(await checksum(b.sql), await checksum(a.sql));
    assert.notEqual(await checksum(c.sql), await checksum(a.sql));
    assert.equal(sc.total, 120);
  } finally {
    await Promise.all([a.drop(), b.drop(), c.drop()]);
  }
});

Deno.test("simulateActivity: refuses a bad count and a ToteSys without orders", async () => {
  const db = await freshDatabase("simempty");
  try {
    await assert.rejects(simulateActivity(db.sql, { changes: 0 }), RangeError);
    await createTotesysSchema(db.sql);
    await assert.rejects(simulateActivity(db.sql, { changes: 5 }), /no sales orders: seed it first/);
  } finally {
    await db.drop();
  }
});
