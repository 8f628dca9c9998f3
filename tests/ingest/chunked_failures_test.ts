/**
 * How the chunk runner meets failures that retrying cannot help (a refused row, a plan overtaken while it runs) and a
 * commit that finds the ingest lock held, on a real PostgreSQL and the S3 emulator.
 *
 * @module
 */
import assert from "node:assert/strict";
import { etl, ingest } from "../adversarial/_helpers.ts";
import { chunkDoneKey, chunkObjectKey } from "../../lib/ingest/chunks.ts";
import { INGEST_LOCK_KEY } from "../../lib/ingest/lock.ts";
import { ingestManifestKey } from "../../lib/run/mod.ts";
import { etlEnv, ROOT } from "../adversarial/_helpers.ts";
import { chunkCli, chunks, forEachSeededServer, plan } from "./_chunked.ts";
import { textLines } from "../../lib/io/lines.ts";
import { closedPort } from "../_ports.ts";

forEachSeededServer((name, withSeeded) => {
  Deno.test(
    name(
      "a refused row stops the chunk runner at once, without retries, naming the row; the other chunks wait",
    ),
    () =>
      withSeeded("chkf1", async (p) => {
        await p.src.sql`UPDATE design SET design_name = repeat('x', 4200000) WHERE design_id = 1`;
        const made = await plan(p, 1_500);
        const run = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "1", "--retries", "3"]);
        assert.equal(run.code, 3, run.stderr); // a permanent failure, as the chunk's own
        assert.match(
          run.stderr,
          /Row design 1 is 4,2\d\d,\d\d\d characters of JSON, more than the 4,194,304/,
        );
        assert.match(
          run.stderr,
          /design #0, which retrying cannot help\); its error above says what to do: a refused row/,
        );
        assert.doesNotMatch(run.stderr, /retrying \(/, "no retry");
        const started = [...run.stderr.matchAll(/^chunk (\w+) #\d+: /gm)].length;
        assert.ok(started < made.chunks.length - 1, `the chunks after it were not started (${started} ran)`);
        assert.equal(await p.ingestion.exists(ingestManifestKey(made.run_id)), false);
        const status = await etl(p, ["status"]);
        assert.match(
          status.stdout,
          new RegExp(
            `Chunked run ${made.run_id} not committed: \\d+ of ${made.chunks.length} chunks done; ` +
              `"deno task chunks run --resume ${made.run_id}" finishes it once the refused input below is fixed`,
          ),
        );
        assert.match(
          status.stdout,
          /\n {2}chunk design #0 refused: Row design 1 is 4,2\d\d,\d\d\d characters of JSON/,
        );
        // once the row is fixed, --resume runs the chunks left and commits
        await p.src.sql`UPDATE design SET design_name = 'Fixed' WHERE design_id = 1`;
        const resumed = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "2"]);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.ok(await p.ingestion.exists(ingestManifestKey(made.run_id)));
        assert.doesNotMatch((await etl(p, ["status"])).stdout, /Chunked run/, "committed: no longer listed");
      }),
  );

  Deno.test(
    name(
      "Ctrl-C stops the chunk runner and its chunks (exit 130), saying how many are done and how to resume",
    ),
    () =>
      withSeeded("chkf4", async (p) => {
        const made = await plan(p, 400);
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "main/chunks_cli.ts", "run", "--resume", made.run_id, "--workers", "1"],
          cwd: ROOT,
          env: etlEnv(p),
          stdout: "null",
          stderr: "piped",
        }).spawn();
        let stderr = "";
        let signalled = false;
        for await (const line of textLines(child.stderr)) {
          stderr += line + "\n";
          if (!signalled && /^chunk \w+ #\d+: \d+ rows/m.test(line)) {
            child.kill("SIGINT"); // after the first chunk is done
            signalled = true;
          }
        }
        const { code } = await child.status;
        assert.equal(code, 130, stderr);
        const m = /interrupted \(SIGINT\) with (\d+) of (\d+) chunks done; nothing is committed/
          .exec(stderr);
        assert.ok(m, stderr);
        assert.ok(Number(m[1]) >= 1 && Number(m[1]) < made.chunks.length, stderr);
        assert.equal(Number(m[2]), made.chunks.length);
        assert.match(stderr, new RegExp(`Finish with: deno task chunks run --resume ${made.run_id}`));
        assert.equal(await p.ingestion.exists(ingestManifestKey(made.run_id)), false);
        const resumed = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "2"]);
        assert.equal(resumed.code, 0, resumed.stderr);
        const already = new RegExp(
          `chunks: run ${made.run_id}, ${made.chunks.length} chunks \\((\\d+) already done\\)`,
        )
          .exec(resumed.stderr);
        assert.ok(already && Number(already[1]) >= Number(m[1]), resumed.stderr); // a chunk may end as it is stopped
        assert.doesNotMatch(resumed.stderr, /\(already done\)$/m, "no process started for a chunk done");
        assert.ok(await p.ingestion.exists(ingestManifestKey(made.run_id)));
      }),
  );

  Deno.test(
    name(
      "etl run and etl ingest refuse while a chunked run can commit; --abandon-chunked runs and overtakes it",
    ),
    () =>
      withSeeded("chkf5", async (p) => {
        const made = await plan(p, 1_500);
        await chunks(p, made.run_id, made.chunks.slice(0, 2));
        for (const command of ["run", "ingest"]) {
          const refused = await etl(p, [command]);
          assert.equal(refused.code, 2, refused.stderr);
          assert.match(
            refused.stderr,
            new RegExp(
              `Chunked run ${made.run_id} is planned and not committed \\(2 of ${made.chunks.length} chunks ` +
                `done\\): .*"deno task chunks run --resume ${made.run_id}", or give it up \\(nothing needs ` +
                `deleting\\) with "deno task etl ${command} --abandon-chunked"`,
            ),
          );
        }
        assert.deepEqual(await p.ingestion.list("_manifests/ingest/"), [], "nothing read, nothing committed");
        const run = await etl(p, ["run", "--abandon-chunked"]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(
          (await etl(p, ["status"])).stdout,
          new RegExp(`Chunked run ${made.run_id} was overtaken`),
        );
        assert.equal((await etl(p, ["run"])).code, 0, "an overtaken plan no longer holds runs back");
      }),
  );

  Deno.test(
    name(
      "a done marker cut short (an emulator keeps a PUT killed half-way) counts as not done: resume redoes it",
    ),
    () =>
      withSeeded("chkf6", async (p) => {
        const made = await plan(p, 1_500);
        await chunks(p, made.run_id, made.chunks);
        const [a, b] = [made.chunks[0]!, made.chunks[1]!];
        await p.ingestion.put(chunkDoneKey(made.run_id, a.table, a.index), new Uint8Array(0));
        await p.ingestion.put(chunkDoneKey(made.run_id, b.table, b.index), '{"table":"x"}');
        // a marker that parses, with its table, index and rows, but no object (or none for its rows)
        const big = made.chunks.filter((c) => c.table === "payment");
        for (const [c, object] of [[big[0]!, undefined], [big[1]!, null]] as const) {
          const key = chunkDoneKey(made.run_id, c.table, c.index);
          const marker = await p.ingestion.getJson<Record<string, unknown>>(key);
          assert.ok(marker && (marker.rows as number) > 0);
          await p.ingestion.put(key, JSON.stringify({ ...marker, object }));
        }
        assert.match(
          (await etl(p, ["status"])).stdout,
          new RegExp(
            `Chunked run ${made.run_id} not committed: ${made.chunks.length - 4} of ${made.chunks.length}`,
          ),
        );
        const commit = await chunkCli(p, ["commit", "--run", made.run_id]);
        assert.equal(commit.code, 1, commit.stderr);
        assert.match(commit.stderr, /has 4 chunk\(s\) not done yet/);
        const resumed = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "2"]);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stderr, new RegExp(`\\(${made.chunks.length - 4} already done\\)`));
        assert.match(resumed.stderr, new RegExp(`^chunk ${a.table} #${a.index}: \\d+ rows`, "m"));
        assert.ok(await p.ingestion.exists(ingestManifestKey(made.run_id)));
        assert.equal((await etl(p, ["run"])).code, 0);
        assert.equal((await etl(p, ["reconcile"])).code, 0, "the redone chunks hold every row once");
      }),
  );

  Deno.test(
    name(
      "with ToteSys unreachable the chunk runner stops after a few failures in a row, not after every chunk",
    ),
    () =>
      withSeeded("chkf7", async (p) => {
        const made = await plan(p, 400); // 20 chunks or more
        const down = `postgres://nobody:nothing@127.0.0.1:${await closedPort()}/totesys`;
        const run = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "1", "--retries", "5"], {
          TOTESYS_DATABASE_URL: down,
        });
        assert.equal(run.code, 1, run.stderr);
        assert.match(
          run.stderr,
          new RegExp(
            `1 chunk\\(s\\) failed \\(\\w+ #\\d+\\); stopped after 3 failures in a row with none done \\(is a ` +
              `service down\\? the errors above say\\); finish with: deno task chunks run --resume ${made.run_id}`,
          ),
        );
        assert.equal([...run.stderr.matchAll(/failed; retrying/g)].length, 2, "two retries, then it stopped");
        assert.ok(made.chunks.length >= 10, `${made.chunks.length} chunks`);
        const resumed = await chunkCli(p, ["run", "--resume", made.run_id, "--workers", "2"]);
        assert.equal(resumed.code, 0, resumed.stderr);
      }),
  );

  Deno.test(
    name("a chunk of a plan overtaken while the runner works fails at once (exit 3), reading nothing"),
    () =>
      withSeeded("chkf2", async (p) => {
        const made = await plan(p, 1_500);
        const ordinary = await ingest(p); // the schedule's ordinary run overtakes the plan
        assert.equal(ordinary.status, "committed");
        assert.match(
          (await etl(p, ["status"])).stdout,
          new RegExp(
            `Chunked run ${made.run_id} was overtaken by run ${ordinary.runId} .*: it can never commit`,
          ),
        );
        const one = await chunkCli(p, ["chunk", "--run", made.run_id, "--table", "payment", "--index", "0"]);
        assert.equal(one.code, 3, one.stderr);
        assert.match(
          one.stderr,
          /committed after chunked run .* was planned \(before any run\): the chunked run/,
        );
        assert.equal(await p.ingestion.exists(chunkObjectKey("payment", made.run_id, 0)), false);
        assert.equal(await p.ingestion.exists(chunkDoneKey(made.run_id, "payment", 0)), false);
      }),
  );

  Deno.test(
    name(
      "a commit that finds the ingest lock held waits for it, then commits (two runners resuming one run)",
    ),
    () =>
      withSeeded("chkf3", async (p) => {
        const made = await plan(p, 1_500);
        await chunks(p, made.run_id, made.chunks);
        const holder = await p.src.sql.reserve();
        try {
          await holder`SELECT pg_advisory_lock(${INGEST_LOCK_KEY.toString()}::bigint)`;
          const child = new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", "main/chunks_cli.ts", "commit", "--run", made.run_id],
            cwd: ROOT,
            env: etlEnv(p),
            stdout: "piped",
            stderr: "piped",
          }).spawn();
          await new Promise((resolve) => setTimeout(resolve, 2_500));
          assert.equal(
            await p.ingestion.exists(ingestManifestKey(made.run_id)),
            false,
            "not while the lock is held",
          );
          await holder`SELECT pg_advisory_unlock(${INGEST_LOCK_KEY.toString()}::bigint)`;
          const out = await child.output();
          assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
          assert.match(new TextDecoder().decode(out.stdout), /"status":"committed"/);
        } finally {
          holder.release();
        }
      }),
  );
});
