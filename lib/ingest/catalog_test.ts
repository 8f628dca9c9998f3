import assert from "node:assert/strict";
import { changesCopySql, checkSchemaDrift, parseCopyLine } from "./catalog.ts";

const currency = [
  { name: "currency_id", type: "integer" },
  { name: "currency_code", type: "character varying" },
  { name: "created_at", type: "timestamp without time zone" },
  { name: "last_updated", type: "timestamp without time zone" },
];

Deno.test("changesCopySql() reads all rows on the first run and rows from the bound on later", () => {
  const ts = (c: string) =>
    `to_char("${c}", CASE WHEN "${c}" < '0001-01-01' THEN 'YYYY-MM-DD HH24:MI:SS.US BC' ELSE 'YYYY-MM-DD HH24:MI:SS.US' END)`;
  assert.equal(
    changesCopySql("currency", currency, null),
    `COPY (SELECT s."currency_id", s."last_updated", row_to_json(s) FROM (SELECT "currency_id" AS "currency_id", ` +
      `"currency_code"::text AS "currency_code", ${ts("created_at")} AS "created_at", ` +
      `${ts("last_updated")} AS "last_updated" FROM public."currency") s) TO STDOUT`,
  );
  assert.match(
    changesCopySql("currency", currency, "2024-01-01 00:00:00.000000"),
    /WHERE "last_updated" >= '2024-01-01 00:00:00\.000000'::timestamp\) s\) TO STDOUT$/,
  );
});

Deno.test("changesCopySql() refuses a malformed bound and quotes any catalog identifier", () => {
  assert.throws(
    () => changesCopySql("currency", currency, "2024-01-01'; DROP TABLE x; --"),
    /Malformed watermark/,
  );
  const sql = changesCopySql("currency", [...currency, { name: 'is"Deleted x-y', type: "boolean" }], null);
  assert.match(sql, /"is""Deleted x-y" AS "is""Deleted x-y"/);
  assert.throws(
    () => changesCopySql("currency", [...currency, { name: "", type: "text" }], null),
    /Unsupported column name "" in table currency/,
  );
});

Deno.test("parseCopyLine() undoes COPY's backslash doubling exactly", () => {
  // JSON {"a":"back\\slash \"q\" \n"} as COPY text format prints it (every backslash doubled)
  const line = '7\t2024-01-01 00:00:00.000000\t{"a":"back\\\\\\\\slash \\\\"q\\\\" \\\\n"}';
  const { pk, lastUpdated, json } = parseCopyLine(line);
  assert.equal(pk, 7);
  assert.equal(lastUpdated, "2024-01-01 00:00:00.000000");
  assert.deepEqual(JSON.parse(json), { a: 'back\\slash "q" \n' });
  assert.throws(() => parseCopyLine("no tabs"), /Malformed COPY line "no tabs"/);
});

Deno.test("checkSchemaDrift() accepts added columns and rejects dropped, retyped and missing ones", () => {
  assert.deepEqual(checkSchemaDrift("currency", currency, undefined), []);
  assert.deepEqual(checkSchemaDrift("currency", [...currency, { name: "symbol", type: "text" }], currency), [
    "symbol",
  ]);
  assert.throws(
    () => checkSchemaDrift("currency", currency.slice(0, 3), undefined),
    /currency\.last_updated is missing/,
  );
  assert.throws(
    () =>
      checkSchemaDrift("currency", [
        currency[0]!,
        { name: "currency_code", type: "integer" },
        ...currency.slice(2),
      ], undefined),
    /currency\.currency_code has type "integer"; the pipeline needs text/,
  );
  const previous = [...currency, { name: "symbol", type: "text" }];
  assert.throws(() => checkSchemaDrift("currency", currency, previous), /currency\.symbol disappeared/);
  assert.throws(
    () => checkSchemaDrift("currency", [...currency, { name: "symbol", type: "integer" }], previous),
    /currency\.symbol changed type from "text" to "integer"/,
  );
  assert.throws(() => checkSchemaDrift("currency", [], undefined), /Source table currency was not found/);
});
