// test/apps/stateful.py: hidden gr.State slots, a generator, a slow endpoint, abort, timeout, a full queue.
import * as app from "@e2e/app";
import { eq, ok, rejectsWith, sleep, type T } from "./_lib.ts";

export default async function stateful(t: T): Promise<void> {
  await t.check("/accumulate", "State between inputs and outputs is filled and dropped", async () => {
    eq(await app.accumulate({ text: "t", n: 5 }), ["t:5", 10]);
    eq(await app.accumulate({ text: "u" }), ["u:1", 2], "n defaults to 1; each /call is a new session (state 0)");
  });
  await t.check("/read_state", "State as an input only: its initial value", async () => {
    eq(await app.readState({ label: "tot" }), "tot=0");
    eq(await app.readState(), "total=0");
  });
  await t.check("/reset_state", "State as the first output slot", async () => {
    eq(await app.resetState({ start: 9 }), "reset to 9");
  });
  await t.check("/count_up", "generator: .stream() yields every value once, the call resolves with the last", async () => {
    const seen: unknown[] = [];
    for await (const v of app.countUp.stream({ n: 3, prefix: "i" })) seen.push(v);
    eq(seen, ["i0", "i0 i1", "i0 i1 i2"], "each value once (the closing event's repeat is not yielded)");
    eq(await app.countUp({ n: 2, prefix: "z" }), "z0 z1");
    eq(await app.countUp(), "item0 item1 item2", "defaults");
    let first: unknown = "";
    for await (const v of app.countUp.stream({ n: 5, prefix: "b" })) {
      first = v;
      break; // an early break ends (and cancels) the job
    }
    eq(first, "b0");
  });
  await t.check("/count_then_fail", "generator that raises gr.Error after its values", async () => {
    const seen: unknown[] = [];
    const e = await rejectsWith(
      app.SpaceError,
      async () => {
        for await (const v of app.countThenFail.stream({ n: 2 })) seen.push(v);
      },
      "app",
    );
    eq(seen, ["step 0", "step 1"]);
    // the queue carries the message on every version; /call only from 6.13
    if (t.errorMessages) ok(e.message.includes("failed after 2 steps"), `message: ${e.message}`);
    else ok(e.message.includes("sends no message over /call"), `message: ${e.message}`);
  });
  await t.check("/slow", "slow call completes", async () => {
    eq(await app.slow({ seconds: 0.2, tag: "q" }), "q slept 0.2");
  });
  await t.check("/slow", "abort stops a slow job (client at once, server frees the worker)", async () => {
    const ctl = new AbortController();
    const started = Date.now();
    const p = app.slow({ seconds: 4, tag: "ab" }, { signal: ctl.signal });
    await sleep(400);
    ctl.abort();
    await rejectsWith(app.SpaceError, p, "aborted");
    const aborted = Date.now() - started;
    ok(aborted < 2000, `rejected ${aborted} ms after the start`);
    // concurrency limit 1: the next call only runs quickly if the aborted job no longer holds the worker
    const next = Date.now();
    eq(await app.slow({ seconds: 0.1, tag: "after" }), "after slept 0.1");
    ok(Date.now() - next < 3000, `the next call waited ${Date.now() - next} ms: the aborted job kept the worker`);
  });
  await t.check("/slow", "timeoutMs → kind timeout", async () => {
    await rejectsWith(app.SpaceError, app.slow({ seconds: 3, tag: "to" }, { timeoutMs: 300 }), "timeout");
  });
  await t.check("/slow", "a full queue → kind queue_full (max_size=2, concurrency 1)", async () => {
    const calls = Array.from({ length: 6 }, (_, i) => app.slow({ seconds: 1, tag: `q${i}` }));
    const settled = await Promise.allSettled(calls);
    const full = settled.filter((s) => s.status === "rejected");
    const done = settled.filter((s) => s.status === "fulfilled");
    ok(full.length >= 1 && done.length >= 1, `${done.length} completed, ${full.length} refused`);
    for (const s of full) {
      const e: unknown = s.reason;
      ok(e instanceof app.SpaceError && e.kind === "queue_full" && e.status === 503, `refused with ${String(e)}`);
    }
    for (const s of done) ok(/^q\d slept 1$/.test(String(s.value)), `value ${String(s.value)}`);
  });
}
