import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import type { Column } from "../contract/warehouse.ts";
import { arrowSchema, arrowType, isArrowTypeOf } from "./schema.ts";

const all: Column[] = [
  { name: "i", type: "int32", nullable: false },
  { name: "s", type: "utf8", nullable: true },
  { name: "d", type: "decimal", nullable: false },
  { name: "dt", type: "date32", nullable: true },
  { name: "t", type: "time64us", nullable: false },
  { name: "ts", type: "timestamp_us", nullable: true },
  { name: "b", type: "bool", nullable: false },
];

Deno.test("arrowSchema() maps every column type to its explicit Arrow type", () => {
  const schema = arrowSchema(all);
  assert.deepEqual(
    schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
    [
      ["i", "Int32", false],
      ["s", "Utf8", true],
      ["d", "Decimal[12e+2]", false],
      ["dt", "Date32<DAY>", true],
      ["t", "Time64<MICROSECOND>", false],
      ["ts", "Timestamp<MICROSECOND>", true],
      ["b", "Bool", false],
    ],
  );
  const decimal = schema.fields[2]!.type as arrow.Decimal;
  assert.equal(decimal.precision, 12);
  assert.equal(decimal.scale, 2);
  assert.equal(decimal.bitWidth, 128);
  assert.equal((schema.fields[5]!.type as arrow.TimestampMicrosecond).timezone ?? null, null);
});

Deno.test("arrowSchema() rejects a duplicate column name", () => {
  assert.throws(() => arrowSchema([all[0]!, all[0]!]), /Duplicate column "i"/);
});

Deno.test("isArrowTypeOf() accepts exactly the mapped type", () => {
  for (const column of all) assert.ok(isArrowTypeOf(column.type, arrowType(column.type)), column.type);
  assert.ok(!isArrowTypeOf("int32", new arrow.Int64()));
  assert.ok(!isArrowTypeOf("decimal", new arrow.Decimal(2, 10, 128)));
  assert.ok(!isArrowTypeOf("decimal", new arrow.Decimal(3, 12, 128)));
  assert.ok(!isArrowTypeOf("date32", new arrow.DateMillisecond()));
  assert.ok(!isArrowTypeOf("time64us", new arrow.TimeMillisecond()));
  assert.ok(!isArrowTypeOf("timestamp_us", new arrow.TimestampMicrosecond("UTC")));
  assert.ok(!isArrowTypeOf("timestamp_us", new arrow.TimestampMillisecond()));
  assert.ok(!isArrowTypeOf("utf8", new arrow.LargeUtf8()));
  assert.ok(!isArrowTypeOf("bool", new arrow.Int8()));
});
