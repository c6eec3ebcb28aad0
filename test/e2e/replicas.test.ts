// Replicas (issue 15): two real Gradio processes of one app behind a load balancer that pins a client to a replica
// by a cookie it sets, as Hugging Face's does for a Space with replicas (gradio-app/gradio#11431, #10487). Both
// requests of a call (the join and the session's stream, or the /call POST and its stream; an upload too) must
// reach the same replica: the runtime sends the cookies the app's origin set on a session's first answer with its
// later requests. Without stickiness (plain round robin) calls fail: the stream reaches a replica that does not know
// the session or the event. Both transports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCall, SpaceError, type AppSpec, type Channel, type EndpointSpec } from "../../templates/runtime.ts";
import { startStickyProxy, type StickyProxy } from "../support/sticky-proxy.ts";
import { gradioVersion, hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";

const version = gradioVersion();
const CALLS = 200;

describe.skipIf(!hasGradio(version))(`replicas behind a sticky load balancer, gradio ${version}`, () => {
  let replicas: RunningApp[] = [];
  let spec: EndpointSpec;
  let prefix: string;
  beforeAll(async () => {
    replicas = await Promise.all([startApp("load", { version }), startApp("load", { version })]);
    const config = (await (await fetch(replicas[0]!.url + "/config")).json()) as { api_prefix?: string; dependencies: { id: number; api_name: unknown }[] };
    prefix = config.api_prefix ?? "";
    const echo = config.dependencies.find((d) => d.api_name === "echo")!;
    spec = { n: "echo", i: [{ k: "call_id" }, { k: "n" }], o: [1, 1], s: 2, x: echo.id };
  }, 180_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
  });

  /** CALLS calls from 4 clients (each its own session) and, for a quarter of them, a session per call. */
  async function run(proxy: StickyProxy, timeoutMs: number, transport: "queue" | "call"): Promise<{ ok: number; crossed: number; errors: SpaceError[] }> {
    const app: AppSpec = { url: proxy.url, prefix, cancel: true, queue: true };
    const pools: Channel[][] = [[], [], [], []];
    let next = 0;
    let ok = 0;
    let crossed = 0;
    const errors: SpaceError[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, worker) => {
        while (next < CALLS) {
          const i = next++;
          const id = `call-${i}`;
          try {
            let last: unknown;
            const s = i % 4 === 3 ? { ...spec, h: 1 as const } : spec;
            for await (const v of runCall(app, s, { call_id: id, n: i }, { timeoutMs, transport }, undefined, { sessions: pools[worker % 4]! })) last = v;
            if ((last as string[])[0] === id) ok++;
            else crossed++;
          } catch (e) {
            errors.push(e as SpaceError);
          }
        }
      }),
    );
    return { ok, crossed, errors };
  }

  describe.each(["queue", "call"] as const)("transport %s", (transport) => {
    it("without stickiness (round robin), calls fail: the stream reaches a replica without the session", async () => {
      const proxy = await startStickyProxy(
        replicas.map((r) => r.url),
        { sticky: false },
      );
      try {
        const result = await run(proxy, 3000, transport);
        console.log(`[replicas] ${transport}, round robin: ${result.ok} ok, ${result.errors.length} failed; first: ${result.errors[0]?.message}`);
        // the control that makes the sticky case mean something: many calls fail (exactly 50 of 200 in one run on
        // a loaded 2-core machine)
        expect(result.errors.length).toBeGreaterThan(CALLS / 10);
        if (transport == "queue") expect(result.errors.some((e) => /sticky sessions/.test(e.message))).toBe(true);
        expect(result.crossed).toBe(0);
      } finally {
        await proxy.close();
      }
    }, 240_000);

    it(`with stickiness, 0 failures in ${CALLS} calls, both replicas used`, async () => {
      const proxy = await startStickyProxy(replicas.map((r) => r.url));
      try {
        const result = await run(proxy, 30_000, transport);
        console.log(
          `[replicas] ${transport}, sticky: ${result.ok} ok, ${result.errors.length} failed; requests per replica ${proxy.counts.join(", ")}, ${proxy.pinned} pinned`,
        );
        expect(result.errors.map((e) => e.message)).toEqual([]);
        expect(result).toMatchObject({ ok: CALLS, crossed: 0 });
        for (const count of proxy.counts) expect(count).toBeGreaterThan(CALLS / 10);
        expect(proxy.pinned).toBeGreaterThanOrEqual(CALLS);
      } finally {
        await proxy.close();
      }
    }, 240_000);
  });
});
