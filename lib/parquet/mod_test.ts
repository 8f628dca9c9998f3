import assert from "node:assert/strict";
import {
  type Column,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  type WarehouseRow,
} from "../contract/warehouse.ts";
import { checkSchema, decodeParquet, encodeParquet, readParquetRowCount } from "./mod.ts";
import { arrowSchema } from "./schema.ts";

const col = (name: string, type: Column["type"], nullable = false): Column => ({ name, type, nullable });

async function decodeAll(bytes: Uint8Array, columns: readonly Column[]): Promise<WarehouseRow[][]> {
  const batches: WarehouseRow[][] = [];
  for await (const batch of decodeParquet(bytes, columns)) batches.push(batch);
  return batches;
}

/** Every column type, required and nullable. */
const allTypes: Column[] = [
  col("id", "int32"),
  col("n", "int32", true),
  col("text", "utf8"),
  col("text_null", "utf8", true),
  col("amount", "decimal"),
  col("amount_null", "decimal", true),
  col("day", "date32"),
  col("day_null", "date32", true),
  col("time", "time64us"),
  col("time_null", "time64us", true),
  col("at", "timestamp_us"),
  col("at_null", "timestamp_us", true),
  col("flag", "bool"),
  col("flag_null", "bool", true),
];

const edgeRows: WarehouseRow[] = [
  {
    id: 1,
    n: -2147483648,
    text: "emoji 🦆👩🏽‍💻, tab\tand newline\nend",
    text_null: "",
    amount: "0.00",
    amount_null: "-0.01",
    day: "1970-01-01",
    day_null: "1969-12-31",
    time: "00:00:00.000000",
    time_null: "23:59:59.999999",
    at: "2022-11-03 14:20:49.962000",
    at_null: "2024-11-13 10:00:00.500123",
    flag: true,
    flag_null: false,
  },
  {
    id: 2,
    n: null,
    text: "",
    text_null: null,
    amount: "99999999.99",
    amount_null: null,
    day: "2024-02-29",
    day_null: null,
    time: "23:59:59.999999",
    time_null: null,
    at: "1969-12-31 23:59:59.999999",
    at_null: null,
    flag: false,
    flag_null: null,
  },
  {
    id: 2147483647,
    n: 2147483647,
    text: 'carriage\r\nreturn, NUL \u0000, quote " and backslash \\',
    text_null: "日本語",
    amount: "-9999999999.99",
    amount_null: "9999999999.99",
    day: "9999-12-31",
    day_null: "0001-01-01",
    time: "12:00:00.000001",
    time_null: "00:00:00.000000",
    at: "9999-12-31 23:59:59.999999",
    at_null: "0001-01-01 00:00:00.000000",
    flag: true,
    flag_null: true,
  },
];

Deno.test("encodeParquet() and decodeParquet() round-trip every column type with nulls and edge values", async () => {
  for (const compression of ["zstd", "snappy"] as const) {
    const bytes = await encodeParquet(allTypes, edgeRows, { compression });
    assert.equal(await readParquetRowCount(bytes), edgeRows.length);
    const batches = await decodeAll(bytes, allTypes);
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0], edgeRows);
    assert.deepEqual(Object.keys(batches[0]![0]!), allTypes.map((c) => c.name));
  }
});

Deno.test("decodeParquet() gives canonical text for shorter input forms", async () => {
  const columns = [col("time", "time64us"), col("at", "timestamp_us"), col("amount", "decimal")];
  const bytes = await encodeParquet(columns, [{
    time: "14:20:49.962",
    at: "2022-11-03 14:20:49",
    amount: "7.5",
  }]);
  assert.deepEqual(await decodeAll(bytes, columns), [[
    { time: "14:20:49.962000", at: "2022-11-03 14:20:49.000000", amount: "7.50" },
  ]]);
});

Deno.test("encodeParquet() is deterministic: the same rows give byte-identical files", async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => ({ ...edgeRows[i % 3]!, id: i }));
  const a = await encodeParquet(allTypes, rows, { rowGroupSize: 1000 });
  const b = await encodeParquet(allTypes, rows, { rowGroupSize: 1000 });
  assert.deepEqual(a, b);
  // the same rows from an async iterable give the same bytes too
  async function* stream() {
    yield* rows;
  }
  assert.deepEqual(await encodeParquet(allTypes, stream(), { rowGroupSize: 1000 }), a);
  const c = await encodeParquet(allTypes, rows, { rowGroupSize: 1000, compression: "snappy" });
  assert.deepEqual(await encodeParquet(allTypes, rows, { rowGroupSize: 1000, compression: "snappy" }), c);
});

Deno.test("encodeParquet() writes row groups of rowGroupSize rows and decodeParquet() reads them in order", async () => {
  const columns = [col("id", "int32"), col("day", "date32"), col("amount", "decimal", true)];
  const total = 250_000;
  function* rows() {
    for (let i = 0; i < total; i++) {
      yield {
        id: i,
        day: i % 2 ? "2024-02-29" : "1970-01-01",
        amount: i % 7 ? `${i}.${String(i % 100).padStart(2, "0")}` : null,
      };
    }
  }
  const bytes = await encodeParquet(columns, rows(), { rowGroupSize: 100_000 });
  assert.equal(await readParquetRowCount(bytes), total);
  const sizes: number[] = [];
  let next = 0;
  for await (const batch of decodeParquet(bytes, columns)) {
    sizes.push(batch.length);
    for (const row of batch) {
      if (row.id !== next) assert.fail(`row ${next} came back as ${row.id}`);
      const i = next++;
      const amount = i % 7 ? `${i}.${String(i % 100).padStart(2, "0")}` : null;
      if (row.amount !== amount || row.day !== (i % 2 ? "2024-02-29" : "1970-01-01")) {
        assert.fail(`row ${i} came back as ${JSON.stringify(row)}`);
      }
    }
  }
  assert.deepEqual(sizes, [100_000, 100_000, 50_000]);

  const smaller: number[] = [];
  let first = 0;
  for await (const batch of decodeParquet(bytes, columns, { batchSize: 30_000 })) {
    smaller.push(batch.length);
    if (batch[0]!.id !== first) assert.fail(`batch starts at ${batch[0]!.id}, expected ${first}`);
    first += batch.length;
  }
  assert.deepEqual(smaller, [30_000, 30_000, 30_000, 10_000, 30_000, 30_000, 30_000, 10_000, 30_000, 20_000]);
  await assert.rejects(
    decodeParquet(bytes, columns, { batchSize: 0 }).next(),
    /batchSize must be a positive integer/,
  );
});

Deno.test("encodeParquet() of no rows gives a file with the schema and no rows", async () => {
  const bytes = await encodeParquet(allTypes, []);
  assert.equal(await readParquetRowCount(bytes), 0);
  assert.deepEqual(await decodeAll(bytes, allTypes), []);
  await assert.rejects(decodeAll(bytes, allTypes.slice(1)), /unexpected column id/);
});

Deno.test("encodeParquet() fails on a bad row past the first batch, naming column and row", async () => {
  const columns = [col("id", "int32"), col("day", "date32")];
  const rows = Array.from(
    { length: 120_000 },
    (_, i) => ({ id: i, day: i === 60_123 ? "2024-02-30" : "2024-02-29" }),
  );
  await assert.rejects(encodeParquet(columns, rows), {
    message: 'Cannot encode day "2024-02-30": not a calendar date (row 60123)',
  });
});

Deno.test("encodeParquet() closes the rows iterator when a row is bad", async () => {
  let closed = false;
  async function* rows() {
    try {
      yield { id: 1 };
      yield { id: "two" };
      yield { id: 3 };
    } finally {
      closed = true;
    }
  }
  await assert.rejects(encodeParquet([col("id", "int32")], rows()), /Cannot encode id "two"/);
  assert.ok(closed);
});

Deno.test("encodeParquet() rethrows the rows iterator's error instead of writing a truncated file", async () => {
  const columns = [col("id", "int32")];
  async function* rows() {
    for (let i = 0; i < 70_000; i++) yield { id: i };
    throw new Error("source went away");
  }
  await assert.rejects(encodeParquet(columns, rows(), { rowGroupSize: 10_000 }), {
    message: "source went away",
  });
});

Deno.test("encodeParquet() rejects a rowGroupSize that is not a positive integer", async () => {
  for (const rowGroupSize of [0, -1, 1.5, NaN]) {
    await assert.rejects(
      encodeParquet(allTypes, edgeRows, { rowGroupSize }),
      /rowGroupSize must be a positive integer/,
    );
  }
});

Deno.test("decodeParquet() rejects a file whose schema differs, naming the column", async () => {
  const columns = [col("id", "int32"), col("amount", "decimal"), col("city", "utf8", true)];
  const bytes = await encodeParquet(columns, [{ id: 1, amount: "1.00", city: null }]);
  const cases: Array<[Column[], RegExp]> = [
    [
      [col("id", "int32"), col("amount", "date32"), col("city", "utf8", true)],
      /column amount is Decimal\[12e\+2\], expected Date32<DAY>/,
    ],
    [
      [col("id", "int32"), col("amount", "decimal"), col("city", "utf8")],
      /column city is nullable, expected not nullable/,
    ],
    [
      [col("id", "int32", true), col("amount", "decimal"), col("city", "utf8", true)],
      /column id is not nullable, expected nullable/,
    ],
    [
      [col("id", "int32"), col("amount", "decimal"), col("city", "utf8", true), col("x", "bool")],
      /column x is missing/,
    ],
    [[col("id", "int32"), col("city", "utf8", true)], /unexpected column amount/],
    [
      [col("id", "utf8"), col("amount", "decimal"), col("city", "utf8", true)],
      /column id is Int32, expected Utf8/,
    ],
  ];
  for (const [expected, message] of cases) {
    await assert.rejects(decodeAll(bytes, expected), { message }, String(message));
  }
  // columns in another order are fine: rows come back in the order asked for
  const reordered = [columns[2]!, columns[0]!, columns[1]!];
  const [[row]] = await decodeAll(bytes, reordered) as [[WarehouseRow]];
  assert.deepEqual(Object.keys(row), ["city", "id", "amount"]);
});

Deno.test("decodeParquet() and readParquetRowCount() reject bytes that are not Parquet", async () => {
  const junk = new TextEncoder().encode("not a parquet file at all");
  await assert.rejects(decodeAll(junk, allTypes));
  await assert.rejects(readParquetRowCount(junk));
});

Deno.test("checkSchema() accepts the schema arrowSchema() gives", () => {
  checkSchema(arrowSchema(allTypes), allTypes);
});

function sampleValue(column: Column, i: number): WarehouseRow[string] {
  switch (column.type) {
    case "int32":
      return 1000 + i;
    case "utf8":
      return `${column.name} ✓ ${i}`;
    case "decimal":
      return `${i}.0${i % 10}`;
    case "date32":
      return `2024-02-${String(10 + i).padStart(2, "0")}`;
    case "time64us":
      return `10:00:${String(i).padStart(2, "0")}.123456`;
    case "timestamp_us":
      return `2022-11-03 14:20:${String(i).padStart(2, "0")}.962001`;
    case "bool":
      return i % 2 === 0;
  }
}

Deno.test("every warehouse table round-trips a sample row (and one with its nullable columns null)", async () => {
  for (const name of WAREHOUSE_TABLE_NAMES) {
    const { columns } = WAREHOUSE_TABLES[name];
    const full = Object.fromEntries(columns.map((c, i) => [c.name, sampleValue(c, i)]));
    const sparse = Object.fromEntries(columns.map((c, i) => [c.name, c.nullable ? null : sampleValue(c, i)]));
    const bytes = await encodeParquet(columns, [full, sparse]);
    assert.deepEqual(await decodeAll(bytes, columns), [[full, sparse]], name);
  }
});
