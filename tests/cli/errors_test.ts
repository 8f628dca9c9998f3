/**
 * C4 to C7: errors name what is wrong, through the command line a user runs (`deno task etl ...`), against the
 * real PostgreSQL and S3 emulator.
 *
 * - C4: the S3 endpoint does not answer, in each stage that reads or writes S3: the endpoint, its variable, the
 *   stage and the object.
 * - C5: an ingested JSON Lines object with an invalid line, a truncated one, and a truncated state object: the
 *   object's key and its real line.
 * - C6: a timestamp ToteSys holds that is not a time (`infinity`, `-infinity`): the real value.
 * - C7: a bucket that does not exist (its name and variable); a wrong password for each database (which one);
 *   an endpoint that is not S3 (says so).
 *
 * @module
 */
import assert from "node:assert/strict";
import { denoRun, etl, ingest, withPipeline } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import { ingestObjectKey, ingestStateKey } from "../../lib/run/mod.ts";
import { closedPort } from "../_ports.ts";

/** The last line of a command's stderr: the error a user reads. */
const lastLine = (stderr: string) => stderr.trim().split("\n").pop()!;

Deno.test("C4: an S3 endpoint that does not answer is named with its variable, the stage and the object", () =>
  withPipeline("c4", async (p) => {
    const r = await ingest(p);
    const down = `http://127.0.0.1:${await closedPort()}`;
    for (
      const [args, stage, bucket] of [
        [["ingest"], "ingest", p.ingestion.name],
        [["transform", "--run", r.runId!], "transform", p.ingestion.name],
        [["load", "--run", r.runId!], "load", p.processed.name],
      ] as const
    ) {
      const out = await etl(p, [...args], { AWS_ENDPOINT_URL: down });
      assert.equal(out.code, 1, out.stderr);
      const line = lastLine(out.stderr);
      assert.ok(
        line.startsWith(
          `Error: Cannot reach the S3 endpoint ${down} (AWS_ENDPOINT_URL) (ECONNREFUSED) during ${stage}: `,
        ),
        line,
      );
      assert.match(line, new RegExp(`s3://${bucket}/`), line);
      assert.doesNotMatch(out.stderr, /\s+at .*\.(js|ts):\d+/, "no stack trace");
    }
  }));

Deno.test("C7: an endpoint that answers but not as S3 (PostgreSQL's port) is named as such", () =>
  withPipeline("c7e", async (p) => {
    const pg = new URL(p.src.url);
    const endpoint = `http://127.0.0.1:${pg.port}`;
    const out = await etl(p, ["ingest"], { AWS_ENDPOINT_URL: endpoint });
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      lastLine(out.stderr),
      new RegExp(
        `^Error: The S3 endpoint ${endpoint} \\(AWS_ENDPOINT_URL\\) did not answer as S3 \\(.+\\) during ingest: ` +
          `\\w+ s3://${p.ingestion.name}/`,
      ),
    );
  }));

Deno.test("C7: a bucket that does not exist is named with its variable, whichever zone", () =>
  withPipeline("c7b", async (p) => {
    const r = await ingest(p);
    for (
      const [args, variable] of [
        [["ingest"], "INGESTION_BUCKET"],
        [["transform", "--run", r.runId!], "INGESTION_BUCKET"],
        [["load", "--run", r.runId!], "PROCESSED_BUCKET"],
      ] as const
    ) {
      const missing = `no-such-bucket-${variable.toLowerCase().replace("_", "-")}`;
      const out = await etl(p, [...args], { [variable]: missing });
      assert.equal(out.code, 1, out.stderr);
      assert.match(
        lastLine(out.stderr),
        new RegExp(`^Error: Bucket "${missing}" \\(${variable}\\) does not exist at the S3 endpoint http://`),
      );
    }
  }));

Deno.test("C7: a wrong password says which database and which variable", () =>
  withPipeline("c7p", async (p) => {
    for (
      const [args, variable, label, url] of [
        [["ingest"], "TOTESYS_DATABASE_URL", "ToteSys", p.src.url],
        [["status"], "WAREHOUSE_DATABASE_URL", "warehouse", p.wh.url],
        [["run"], "WAREHOUSE_DATABASE_URL", "warehouse", p.wh.url],
      ] as const
    ) {
      const wrong = new URL(url);
      wrong.password = "not-the-password";
      const out = await etl(p, [...args], { [variable]: wrong.toString() });
      assert.equal(out.code, 1, out.stderr);
      const line = lastLine(out.stderr);
      assert.match(
        line,
        new RegExp(
          `^Error: The ${label} PostgreSQL at 127\\.0\\.0\\.1:${wrong.port} refused database ` +
            `"${wrong.pathname.slice(1)}" for user "${wrong.username}": password authentication failed.* ` +
            `\\(check ${variable}\\)$`,
        ),
      );
      assert.ok(!line.includes("not-the-password"), "the password is never printed");
    }
  }));

Deno.test("C5: an ingested object with an invalid or a truncated line is named with its key and real line", () =>
  withPipeline("c5", async (p) => {
    await seedDatabase(p.src.sql, { orders: 40, seed: 3, createSchema: true });
    const r = await ingest(p);
    const key = ingestObjectKey("sales_order", r.runId!);
    const original = new TextDecoder().decode(await p.ingestion.get(key));
    const lines = original.split("\n");
    // line 3 no longer JSON
    const altered = [...lines.slice(0, 2), lines[2]!.replace(/^\{"/, "{"), ...lines.slice(3)].join("\n");
    await p.ingestion.put(key, altered, "application/x-ndjson");
    let out = await etl(p, ["transform", "--run", r.runId!]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      lastLine(out.stderr),
      new RegExp(`^Error: Ingestion object ${key} line 3 is not valid JSON \\(truncated or altered\\?\\): `),
    );
    // cut in the middle of line 10: the last line read is the broken one
    const cut = lines.slice(0, 9).join("\n").length + 1 + Math.floor(lines[9]!.length / 2);
    await p.ingestion.put(key, original.slice(0, cut), "application/x-ndjson");
    out = await etl(p, ["transform", "--run", r.runId!]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      lastLine(out.stderr),
      new RegExp(`^Error: Ingestion object ${key} line 10 is not valid JSON`),
    );
    // bytes appended with no newline: refused as they pass the manifest's size, not held as one endless line
    await p.ingestion.put(key, original + "a".repeat(3_000_000), "application/x-ndjson");
    out = await etl(p, ["transform", "--run", r.runId!]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      lastLine(out.stderr),
      new RegExp(
        `^Error: Ingestion object ${key} is longer than the ${
          new TextEncoder().encode(original).length
        } bytes ` +
          `its manifest says \\(at least \\d+\\): altered after the ingest wrote it`,
      ),
    );
  }, false));

Deno.test("C5: a truncated ingest state object is named with its key and where it ends", () =>
  withPipeline("c5s", async (p) => {
    const r = await ingest(p);
    const key = ingestStateKey(r.runId!);
    const state = new TextDecoder().decode(await p.ingestion.get(key));
    await p.ingestion.put(key, state.slice(0, Math.floor(state.length / 2)));
    const out = await etl(p, ["ingest"]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      lastLine(out.stderr),
      new RegExp(
        `^Error: Object s3://${p.ingestion.name}/${key} is not valid JSON \\(\\d+ bytes; truncated or altered\\?\\): ` +
          `.*\\(.*line 1\\b`,
      ),
    );
  }));

Deno.test("C6: a timestamp that is not a time ('infinity', '-infinity') is quoted as it is in ToteSys", () =>
  withPipeline("c6", async (p) => {
    const [so] = await p.src.sql`SELECT min(sales_order_id) AS id FROM sales_order`;
    await p.src.sql`UPDATE sales_order SET last_updated = 'infinity' WHERE sales_order_id = ${so!.id}`;
    let out = await etl(p, ["run"]);
    assert.equal(out.code, 1, out.stderr);
    assert.equal(
      lastLine(out.stderr),
      `Error: Cannot transform sales_order ${so!.id}: last_updated "infinity" is not a timestamp ` +
        "(YYYY-MM-DD HH:MM:SS.ffffff)",
    );
    await p.src.sql`UPDATE sales_order SET last_updated = now() WHERE sales_order_id = ${so!.id}`;
    const [b] = await p.src.sql`SELECT max(sales_order_id) AS id FROM sales_order`;
    await p.src.sql`UPDATE sales_order SET created_at = '-infinity', last_updated = now()
      WHERE sales_order_id = ${b!.id}`;
    out = await etl(p, ["run"]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      lastLine(out.stderr),
      new RegExp(`sales_order ${b!.id}: created_at "-infinity" is not a timestamp`),
    );
  }));

Deno.test("C7: make sql against a database that is down names it, its variable and make local-up", () =>
  withPipeline("c7s", async (p) => {
    const down = new URL(p.wh.url);
    down.port = String(await closedPort());
    const { code, stderr } = await denoRun(p, ["scripts/sql.ts", "SELECT 1"], {
      WAREHOUSE_DATABASE_URL: down.toString(),
    });
    assert.equal(code, 1, stderr);
    assert.match(
      lastLine(stderr),
      new RegExp(
        `^sql: Cannot connect to the warehouse PostgreSQL at 127\\.0\\.0\\.1:${down.port}.*` +
          `\\(check WAREHOUSE_DATABASE_URL; locally, make local-up starts the services\\)$`,
      ),
    );
  }));
