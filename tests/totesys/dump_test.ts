import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import type { Sql } from "../../lib/io/pg.ts";
import { classifyDumpStatement, loadDump, StatementSplitter } from "../../tools/totesys/mod.ts";

/**
 * Real ToteSys dumps are not part of this repository: the tests that read them run only where a copy sits beside
 * the clone (in shared/data/totesys/ next to it), and skip otherwise.
 */
const SHARED = new URL("../../../shared/data/totesys/", import.meta.url);
const REALSCHEMA = new URL("xrscode_2024-02-23/derived/totesys_realschema.sql", SHARED);
const ORIGINAL = new URL("xrscode_2024-02-23/totesys.sql", SHARED);
const SUBSET = new URL("runraga_subset_2024-01-31/subset_test_db.sql", SHARED);

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}
const haveShared = exists(REALSCHEMA) && exists(ORIGINAL) && exists(SUBSET);
if (!haveShared) {
  console.warn(
    `dump_test: ${SHARED.pathname} is absent: the tests that load the real ToteSys dumps are skipped`,
  );
}

/** Row counts of the main dump (README §1, "Row counts"). */
const README_COUNTS = {
  address: 30,
  counterparty: 20,
  currency: 3,
  department: 8,
  design: 324,
  payment: 9899,
  payment_type: 4,
  purchase_order: 2958,
  sales_order: 6941,
  staff: 20,
  transaction: 9899,
};

async function counts(sql: Sql, tables: string[]): Promise<Record<string, number>> {
  const rows = await sql.unsafe(
    tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(" UNION ALL "),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

function split(text: string) {
  const s = new StatementSplitter();
  return [...text.split("\n").flatMap((line) => s.push(line)), ...s.end()];
}

Deno.test("StatementSplitter: semicolons inside strings, identifiers, dollar quotes and comments do not split", () => {
  const items = split([
    "-- a comment; with a semicolon",
    "SET a = 'x;y'; SET b = 2;",
    `INSERT INTO "we;ird" VALUES ('it''s; fine', E'back\\'slash;');`,
    "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
    "/* block; /* nested; */ still; */ SELECT 3;",
    "\\c other_db",
    "SELECT 4 -- trailing; comment",
    ";",
    "SELECT 5",
  ].join("\n"));
  assert.deepEqual(items, [
    { kind: "statement", text: "SET a = 'x;y'" },
    { kind: "statement", text: "SET b = 2" },
    { kind: "statement", text: `INSERT INTO "we;ird" VALUES ('it''s; fine', E'back\\'slash;')` },
    { kind: "statement", text: "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql" },
    { kind: "statement", text: "/* block; /* nested; */ still; */ SELECT 3" },
    { kind: "meta", text: "\\c other_db" },
    { kind: "statement", text: "SELECT 4" },
    { kind: "statement", text: "SELECT 5" },
  ]);
});

Deno.test("classifyDumpStatement: skips meta-commands, database DDL and OWNER TO; finds COPY targets", () => {
  const st = (text: string) => classifyDumpStatement({ kind: "statement", text });
  assert.deepEqual(classifyDumpStatement({ kind: "meta", text: "\\connect x" }), {
    action: "skip",
    reason: "psql meta-command",
  });
  assert.equal(st("DROP DATABASE IF EXISTS totesys_test_subset").action, "skip");
  assert.equal(st("CREATE DATABASE totesys_test_subset").action, "skip");
  assert.equal(st("ALTER TABLE public.address OWNER TO mac").action, "skip");
  assert.equal(st('ALTER TYPE public."PaymentTypeName"\n    OWNER TO mac').action, "skip");
  assert.equal(st("SELECT pg_catalog.set_config('search_path', '', false)").action, "run");
  assert.equal(st("CREATE TABLE public.database_owner (x int)").action, "run");
  assert.deepEqual(st("COPY public.sales_order (sales_order_id, created_at) FROM stdin"), {
    action: "copy",
    table: "public.sales_order",
  });
  assert.deepEqual(st('COPY "Odd Name" (a) FROM stdin'), { action: "copy", table: '"Odd Name"' });
  assert.equal(st("COPY t TO stdout").action, "run");
});

Deno.test("loadDump: a script with COPY blocks, escapes and NULLs; a failure keeps nothing and names the line", async () => {
  const db = await freshDatabase("dumpsynth");
  const dir = await Deno.makeTempDir();
  try {
    const good = `${dir}/good.sql`;
    await Deno.writeTextFile(
      good,
      [
        "\\restrict abc",
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "CREATE TABLE public.t (id int PRIMARY KEY, v text);",
        "ALTER TABLE public.t OWNER TO nobody_here;",
        "COPY public.t (id, v) FROM stdin;",
        "1\tback\\\\slash",
        "2\t\\N",
        "3\ttab\\there\\nnewline",
        "\\.",
        "INSERT INTO public.t VALUES (4, 'semi; colon');",
        "\\unrestrict abc",
      ].join("\r\n"), // CRLF line ends are accepted too
    );
    const result = await loadDump(db.sql, good);
    assert.deepEqual(result.copied, { "public.t": 3 });
    assert.equal(result.statements, 4);
    assert.deepEqual(result.skipped.map((s) => s.reason), [
      "psql meta-command",
      "ownership of a dump role",
      "psql meta-command",
    ]);
    const rows = await db.sql`SELECT id, v FROM t ORDER BY id`;
    assert.deepEqual(rows.map((r) => [r.id, r.v]), [
      [1, "back\\slash"],
      [2, null],
      [3, "tab\there\nnewline"],
      [4, "semi; colon"],
    ]);
    const [path] = await db.sql`SELECT current_setting('search_path') AS v`;
    assert.equal(path!.v, '"$user", public', "the dump's search_path does not leak into the pool");

    const bad = `${dir}/bad.sql`;
    await Deno.writeTextFile(
      bad,
      "CREATE TABLE u (id int);\nCOPY u (id) FROM stdin;\n1\nnot a number\n\\.\n",
    );
    await assert.rejects(loadDump(db.sql, bad), /Dump line 2: COPY into u failed: .*invalid input syntax/);
    const [gone] = await db.sql`SELECT to_regclass('public.u') IS NULL AS v`;
    assert.equal(gone!.v, true, "the failed script left nothing behind");

    const unterminated = `${dir}/unterminated.sql`;
    await Deno.writeTextFile(unterminated, "CREATE TABLE w (id int);\nCOPY w (id) FROM stdin;\n1\n");
    await assert.rejects(loadDump(db.sql, unterminated), /no terminating \\\./);
    await assert.rejects(loadDump(db.sql, `${dir}/missing.sql`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await db.drop();
  }
});

Deno.test({
  name: "loadDump: the real-schema ToteSys dump gives the README's row counts, keys and values",
  ignore: !haveShared,
  fn: async () => {
    const db = await freshDatabase("dumpreal");
    try {
      const result = await loadDump(db.sql, REALSCHEMA);
      assert.deepEqual(result.skipped, []);
      const expectedCopied = Object.fromEntries(
        Object.entries(README_COUNTS).map(([t, n]) => [`public.${t}`, n]),
      );
      assert.deepEqual(result.copied, expectedCopied);
      assert.deepEqual(await counts(db.sql, Object.keys(README_COUNTS)), README_COUNTS);
      const [facts] = await db.sql`
        SELECT (SELECT count(*) FROM payment WHERE paid)::int AS paid,
               (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace)::int
                 AS fks,
               (SELECT max(last_updated)::text FROM payment) AS last_payment,
               (SELECT min(unit_price)::text || '-' || max(unit_price)::text FROM sales_order) AS price_range,
               (SELECT string_agg(currency_code, ',' ORDER BY currency_id) FROM currency) AS currencies,
               (SELECT nextval('public.sales_order_sales_order_id_seq'))::int AS next_order`;
      assert.deepEqual({ ...facts }, {
        paid: 6021,
        fks: 17,
        last_payment: "2024-02-23 11:11:10.072",
        price_range: "2.00-4.00",
        currencies: "GBP,USD,EUR",
        next_order: 6942,
      });
    } finally {
      await db.drop();
    }
  },
});

Deno.test({
  name:
    "loadDump: the original dump loads with its 11 OWNER TO lines skipped; the subset skips \\c and DATABASE",
  ignore: !haveShared,
  fn: async () => {
    const [orig, subset] = await Promise.all([freshDatabase("dumporig"), freshDatabase("dumpsub")]);
    try {
      const a = await loadDump(orig.sql, ORIGINAL);
      assert.equal(a.skipped.length, 11);
      assert.ok(a.skipped.every((s) => /OWNER TO mac$/.test(s.text)));
      assert.deepEqual(await counts(orig.sql, Object.keys(README_COUNTS)), README_COUNTS);
      const [quirk] = await orig.sql`SELECT count(*)::int AS n FROM address WHERE address_line_2 = 'NULL'`;
      assert.equal(quirk!.n, 20, "README §1: the original keeps 20 literal 'NULL' strings");

      const b = await loadDump(subset.sql, SUBSET);
      assert.deepEqual(b.skipped.map((s) => s.text), [
        "DROP DATABASE IF EXISTS totesys_test_subset",
        "CREATE DATABASE totesys_test_subset",
        "\\c totesys_test_subset",
      ]);
      assert.deepEqual(b.copied, {});
      assert.deepEqual(
        await counts(subset.sql, Object.keys(README_COUNTS)),
        {
          address: 9,
          counterparty: 6,
          currency: 1,
          department: 3,
          design: 96,
          payment: 33,
          payment_type: 2,
          purchase_order: 33,
          sales_order: 13,
          staff: 6,
          transaction: 46,
        },
      );
      const [role] = await subset.sql`SELECT current_setting('session_replication_role') AS v`;
      assert.equal(role!.v, "origin", "the subset's session_replication_role = replica is reset");
    } finally {
      await Promise.all([orig.drop(), subset.drop()]);
    }
  },
});
