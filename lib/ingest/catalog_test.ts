import assert from "node:assert/strict";
import { changesCopySql, checkSchemaDrift, parseCopyLine } from "./catalog.ts";

const currency = [
  { name: "currency_id", type: "integer" },
  { name: "currency_code", type: "character varying" },
  { name: "created_at", type: "timestamp without time zone" },
  { name: "last_updated", type: "timestamp without time zone" },
];

Deno.test("changesCopySql() reads all rows on the first run and the candidates after", () => {
  const ts = (c: string) =>
    `coalesce(to_char("${c}", CASE WHEN "${c}" < '0001-01-01' THEN 'YYYY-MM-DD HH24:MI:SS.US BC' ELSE 'YYYY-MM-DD HH24:MI:SS.US' END), "${c}"::text)`;
  assert.equal(
    changesCopySql("currency", currency, "XID", null),
    `COPY (SELECT s."currency_id" AS pk, s."__xid" AS xid, row_to_json(s)::text AS json FROM (SELECT XID AS "__xid", ` +
      `"currency_id" AS "currency_id", "currency_code"::text AS "currency_code", ${ts("created_at")} AS ` +
      `"created_at", ${ts("last_updated")} AS "last_updated" FROM public."currency") s) TO STDOUT`,
  );
  assert.match(
    changesCopySql("currency", currency, "XID", "XID >= 5"),
    /FROM public."currency" WHERE XID >= 5\) s\)/,
  );
});

Deno.test("changesCopySql() quotes any catalog identifier", () => {
  const sql = changesCopySql(
    "currency",
    [...currency, { name: 'is"Deleted x-y', type: "boolean" }],
    "x",
    null,
  );
  assert.match(sql, /"is""Deleted x-y" AS "is""Deleted x-y"/);
  assert.throws(
    () => changesCopySql("currency", [...currency, { name: "", type: "text" }], "x", null),
    /Unsupported column name "" in table currency/,
  );
});

Deno.test("parseCopyLine() undoes COPY's backslash doubling exactly and cuts the xid member", () => {
  // JSON {"__xid":758,"a":"back\\slash \"q\" \n"} as COPY text format prints it (every backslash doubled)
  const line = '7\t758\t{"__xid":758,"a":"back\\\\\\\\slash \\\\"q\\\\" \\\\n"}';
  const { pk, xid, json } = parseCopyLine(line);
  assert.equal(pk, 7);
  assert.equal(xid, 758);
  assert.equal(json, '{"a":"back\\\\slash \\"q\\" \\n"}');
  assert.deepEqual(JSON.parse(json), { a: 'back\\slash "q" \n' });
  assert.throws(() => parseCopyLine("no tabs"), /Malformed COPY line "no tabs"/);
});

Deno.test("checkSchemaDrift() accepts added columns and rejects dropped, retyped and missing ones", () => {
  const none = { added: [], dropped: [], retyped: [] };
  assert.deepEqual(checkSchemaDrift("currency", currency, undefined), none);
  assert.deepEqual(checkSchemaDrift("currency", [...currency, { name: "symbol", type: "text" }], currency), {
    ...none,
    added: ["symbol"],
  });
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
  // Columns the pipeline does not use may come and go (C9): recorded, never blocking.
  assert.deepEqual(checkSchemaDrift("currency", currency, previous), { ...none, dropped: ["symbol"] });
  assert.deepEqual(
    checkSchemaDrift("currency", [...currency, { name: "symbol", type: "integer" }], previous),
    { ...none, retyped: ["symbol: text -> integer"] },
  );
  assert.throws(() => checkSchemaDrift("currency", [], undefined), /Source table currency was not found/);
});
