import assert from "node:assert/strict";
import { eventObjectKeys, manifestRunIds } from "./event.ts";

Deno.test("manifestRunIds() reads EventBridge Object Created events and ignores other objects", () => {
  const event = {
    "detail-type": "Object Created",
    detail: { bucket: { name: "b" }, object: { key: "_manifests/ingest/20261130T084501123Z-0a1b2c.json" } },
  };
  assert.deepEqual(manifestRunIds(event, "ingest"), { runIds: ["20261130T084501123Z-0a1b2c"], ignored: [] });
  assert.deepEqual(manifestRunIds(event, "transform"), {
    runIds: [],
    ignored: ["_manifests/ingest/20261130T084501123Z-0a1b2c.json"],
  });
});

Deno.test("eventObjectKeys() URL-decodes keys of S3 notifications", () => {
  const event = { Records: [{ s3: { object: { key: "sales_order/2024/01/01/a+b%3Ac.jsonl" } } }] };
  assert.deepEqual(eventObjectKeys(event), ["sales_order/2024/01/01/a b:c.jsonl"]);
  assert.deepEqual(eventObjectKeys({}), []);
  assert.deepEqual(eventObjectKeys(null), []);
});
