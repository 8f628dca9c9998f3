import assert from "node:assert/strict";
import { eventObjectKeys, manifestRunIds } from "./event.ts";

Deno.test("manifestRunIds() reads EventBridge Object Created events and ignores other objects", () => {
  const event = {
    "detail-type": "Object Created",
    detail: { bucket: { name: "b" }, object: { key: "_manifests/ingest/20261130T084501123Z-0a1b2c.json" } },
  };
  assert.deepEqual(manifestRunIds(event, "ingest"), {
    runIds: ["20261130T084501123Z-0a1b2c"],
    ignored: [],
    malformed: [],
  });
  assert.deepEqual(manifestRunIds(event, "transform"), {
    runIds: [],
    ignored: ["_manifests/ingest/20261130T084501123Z-0a1b2c.json"],
    malformed: [],
  });
});

Deno.test("eventObjectKeys() URL-decodes keys of S3 notifications", () => {
  const event = { Records: [{ s3: { object: { key: "sales_order/2024/01/01/a+b%3Ac.jsonl" } } }] };
  assert.deepEqual(eventObjectKeys(event), ["sales_order/2024/01/01/a b:c.jsonl"]);
  assert.deepEqual(eventObjectKeys({}), []);
  assert.deepEqual(eventObjectKeys(null), []);
});

Deno.test("C1: a key with a malformed escape is set aside, quoted as received; the valid keys beside it are kept", () => {
  for (
    const bad of [
      "_manifests/ingest/100%.json",
      "_manifests/ingest/%ZZ.json",
      "_manifests/ingest/%E0%A4%A.json",
    ]
  ) {
    const event = {
      Records: [
        { s3: { object: { key: bad } } },
        { s3: { object: { key: "_manifests/ingest/20261130T085123113Z-5c07e2.json" } } },
      ],
    };
    const r = manifestRunIds(event, "ingest");
    assert.deepEqual(r.runIds, ["20261130T085123113Z-5c07e2"]);
    assert.deepEqual(r.ignored, []);
    assert.deepEqual(r.malformed.map((m) => m.raw), [bad]);
    assert.match(r.malformed[0]!.error, /URI malformed/);
    assert.deepEqual(
      manifestRunIds({ detail: { object: { key: bad } } }, "ingest").malformed.map((m) => m.raw),
      [bad],
    );
  }
});
