import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import { buildColumnData, buildRecordBatch, type WarehouseValue } from "./encode.ts";
import { readColumnData, recordBatchToRows } from "./decode.ts";
import { parseTimestamp } from "../values/mod.ts";

// --- column builders and readers -------------------------------------------------------------------------------

const col = (name: string, type: Column["type"], nullable = false): Column => ({ name, type, nullable });

const samples: Array<[Column, WarehouseValue[]]> = [
  [col("i", "int32", true), [0, -2147483648, null, 2147483647, 42, null, 7, 8, 9]],
  [col("s", "utf8", true), [
    "",
    "héllo 👋🏽",
    null,
    "tab\there",
    "line\nbreak\r\n",
    null,
    "\u0000nul",
    "z",
    "ü",
  ]],
  [col("b", "bool", true), [true, false, null, true, true, null, false, false, true]],
  [col("d", "decimal", true), [
    "0.00",
    "-0.01",
    null,
    "99999999.99",
    "-9999999999.99",
    null,
    "3.25",
    "1.50",
    "12.00",
  ]],
  [col("dt", "date32", true), [
    "1970-01-01",
    "1969-12-31",
    null,
    "2024-02-29",
    "9999-12-31",
    null,
    "0001-01-01",
    "2000-01-01",
    "2022-11-03",
  ]],
  [col("t", "time64us", true), [
    "00:00:00.000000",
    "23:59:59.999999",
    null,
    "14:20:49.962000",
    "00:00:00.000001",
    null,
    "12:00:00.000000",
    "01:02:03.040506",
    "09:09:09.900000",
  ]],
  [col("ts", "timestamp_us", true), [
    "2022-11-03 14:20:49.962000",
    "2024-11-13 10:00:00.500123",
    null,
    "1969-12-31 23:59:59.999999",
    "1970-01-01 00:00:00.000000",
    null,
    "9999-12-31 23:59:59.999999",
    "0001-01-01 00:00:00.000000",
    "2020-02-29 12:34:56.789012",
  ]],
];

Deno.test("buildColumnData() and readColumnData() round-trip every type with nulls", () => {
  for (const [column, values] of samples) {
    const rows = values.map((v) => ({ [column.name]: v }));
    const data = buildColumnData(column, rows);
    assert.equal(data.length, values.length);
    assert.equal(data.nullCount, 2);
    assert.deepEqual(readColumnData(column, data), values, column.type);
  }
});

Deno.test("readColumnData() reads sliced data (offsets into bitmaps and buffers)", () => {
  for (const [column, values] of samples) {
    const data = buildColumnData(column, values.map((v) => ({ [column.name]: v })));
    for (const [start, end] of [[1, 4], [2, 9], [3, 6], [0, 0]] as const) {
      const vector = arrow.makeVector(data).slice(start, end);
      assert.deepEqual(
        readColumnData(column, vector.data[0]!),
        values.slice(start, end),
        `${column.type} ${start}`,
      );
    }
  }
});

Deno.test("buildColumnData() keeps microseconds that Arrow JS's get() would lose", () => {
  const column = col("ts", "timestamp_us");
  const data = buildColumnData(column, [{ ts: "2024-11-13 10:00:00.500123" }]);
  assert.equal((data.values as BigInt64Array)[0], parseTimestamp("2024-11-13 10:00:00.500123"));
  assert.equal(readColumnData(column, data)[0], "2024-11-13 10:00:00.500123");
});

Deno.test("buildColumnData() writes decimals as 128-bit little-endian two's complement", () => {
  const data = buildColumnData(col("d", "decimal"), [{ d: "3.25" }, { d: "-0.01" }]);
  assert.deepEqual([...(data.values as Uint32Array)], [
    325,
    0,
    0,
    0,
    0xffffffff,
    0xffffffff,
    0xffffffff,
    0xffffffff,
  ]);
});

Deno.test("buildColumnData() rejects values that do not fit the column, naming column and row", () => {
  const cases: Array<[Column, WarehouseValue | undefined, RegExp]> = [
    [
      col("sales_order_id", "int32"),
      null,
      /^Cannot encode sales_order_id null: column is not nullable \(row 1\)$/,
    ],
    [col("sales_order_id", "int32"), undefined, /^Cannot encode sales_order_id: missing value \(row 1\)$/],
    [
      col("sales_order_id", "int32"),
      "5",
      /^Cannot encode sales_order_id "5": expected a 32-bit integer \(row 1\)$/,
    ],
    [col("sales_order_id", "int32"), 1.5, /expected a 32-bit integer/],
    [col("sales_order_id", "int32"), 2 ** 31, /expected a 32-bit integer/],
    [col("paid", "bool"), "true", /^Cannot encode paid "true": expected a boolean \(row 1\)$/],
    [col("city", "utf8"), 5, /^Cannot encode city 5: expected a string \(row 1\)$/],
    [col("city", "utf8"), "bad \ud800", /not well-formed Unicode/],
    [
      col("unit_price", "decimal"),
      3.25,
      /^Cannot encode unit_price 3.25: expected decimal text like 3.25 \(row 1\)$/,
    ],
    [
      col("unit_price", "decimal"),
      "2.675",
      /^Cannot encode unit_price "2.675": more than 2 decimal places \(row 1\)$/,
    ],
    [
      col("agreed_payment_date", "date32"),
      "2024-02-30",
      /^Cannot encode agreed_payment_date "2024-02-30": not a calendar date \(row 1\)$/,
    ],
    [col("created_time", "time64us"), "25:00:00", /not a time of day \(row 1\)$/],
    [col("source_last_updated", "timestamp_us"), "2024-01-01", /not a timestamp/],
  ];
  for (const [column, bad, expected] of cases) {
    const good = samples.find(([c]) => c.type === column.type)![1][0]!;
    const rows: WarehouseRow[] = [{ [column.name]: good }, bad === undefined ? {} : { [column.name]: bad }];
    assert.throws(
      () => buildColumnData(column, rows),
      { message: expected },
      `${column.type} ${String(bad)}`,
    );
  }
  assert.throws(() => buildColumnData(col("i", "int32"), [{ i: 1 }, { i: null }], 1000), /\(row 1001\)$/);
});

Deno.test("buildRecordBatch() and recordBatchToRows() round-trip rows with the columns in order", () => {
  const columns = samples.map(([column]) => column);
  const rows = samples[0]![1].map((_, r) =>
    Object.fromEntries(samples.map(([c, values]) => [c.name, values[r]!]))
  );
  const batch = buildRecordBatch(columns, rows);
  assert.equal(batch.numRows, rows.length);
  const back = recordBatchToRows(columns, batch);
  assert.deepEqual(back, rows);
  assert.deepEqual(Object.keys(back[0]!), columns.map((c) => c.name));
  assert.throws(
    () => recordBatchToRows([col("nope", "int32")], batch),
    /Cannot decode nope: column not in the data/,
  );
});

Deno.test("readColumnData() rejects nulls in a non-nullable column", () => {
  const data = buildColumnData(col("i", "int32", true), [{ i: 1 }, { i: null }]);
  assert.throws(
    () => readColumnData(col("i", "int32"), data),
    /Cannot decode i: nulls in a non-nullable column/,
  );
});

Deno.test("readColumnData() rejects raw values that have no text form", () => {
  const bad: Array<[Column, arrow.Data, RegExp]> = [
    [
      col("t", "time64us"),
      arrow.makeData({ type: new arrow.TimeMicrosecond(), data: new BigInt64Array([0n, 86_400_000_000n]) }),
      /^Cannot decode t \(value 1\): Cannot decode time 86400000000: not microseconds within a day$/,
    ],
    [
      col("t", "time64us"),
      arrow.makeData({ type: new arrow.TimeMicrosecond(), data: new BigInt64Array([-1n]) }),
      /not microseconds within a day/,
    ],
    [
      col("d", "date32"),
      arrow.makeData({ type: new arrow.DateDay(), data: new Int32Array([3_000_000]) }),
      /^Cannot decode d \(value 0\): Cannot decode date 3000000: not a day between 0001-01-01 and 9999-12-31$/,
    ],
    [
      col("a", "decimal"),
      arrow.makeData({
        type: new arrow.Decimal(2, 12, 128),
        data: new Uint32Array([0xd4a51000, 0xe8, 0, 0]),
      }),
      /Cannot decode decimal 1000000000000: out of range/,
    ],
    [
      col("a", "decimal"),
      arrow.makeData({ type: new arrow.Decimal(2, 12, 128), data: new Uint32Array([1, 0, 1, 0]) }),
      /decimal beyond 64 bits/,
    ],
    [
      col("s", "utf8"),
      arrow.makeData({
        type: new arrow.Utf8(),
        valueOffsets: new Int32Array([0, 1]),
        data: new Uint8Array([0xff]),
      }),
      /^Cannot decode s \(value 0\)/,
    ],
  ];
  for (const [column, data, message] of bad) assert.throws(() => readColumnData(column, data), { message });
});
