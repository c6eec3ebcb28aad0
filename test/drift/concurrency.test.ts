// A config with 20 Spaces (8 entries on local Gradio apps, 12 snapshot files) regenerates with a
// bounded concurrency; prints its wall time against one at a time. Same bytes either way.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { goldenInput } from "../support/goldens.ts";
import { spacegen, tmp, writeConfig, type Entry } from "./support.ts";

const APPS = ["drift", "basic", "api", "stateful"];
const INFOS = ["6.31.0", "5.50.0", "4.44.1"].flatMap((v) => ["basic", "api", "chat", "media"].map((app) => goldenInput(v, app, "info.json")));

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[prefix + e.name] = readFileSync(join(d, e.name), "utf8");
  };
  walk(dir, "");
  return out;
}

describe.skipIf(!hasGradio())("20 Spaces from one config", () => {
  const apps: RunningApp[] = [];
  let dir = "";
  beforeAll(async () => {
    apps.push(...(await Promise.all(APPS.map((a) => startApp(a)))));
    dir = tmp("spacegen-many-");
    // snapshots first, from the observed raw /info documents
    const snaps = INFOS.map((info, i) => ({ source: info, name: `snap${i}`, out: "snapshots" }));
    writeConfig(dir, "make-snapshots.json", snaps);
    expect((await spacegen(dir, ["--config", "make-snapshots.json"], 600_000)).code).toBe(0);
  }, 600_000);
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
  });

  it("regenerates all 20 with concurrency 1, 4 and 8 (wall times printed), with identical bytes", async () => {
    const entries: Entry[] = [
      ...apps.flatMap((a, i) => [
        { source: a.url, name: `live/${APPS[i]}`, url: "http://app.test" },
        { source: a.url, name: `live/${APPS[i]}-all`, url: "http://app.test", allEndpoints: true },
      ]),
      ...INFOS.map((_, i) => ({ source: `./snapshots/snap${i}.schema.json`, name: `snap/s${i}` })),
    ];
    expect(entries).toHaveLength(20);
    const timed = async (out: string, concurrency: number) => {
      writeConfig(dir, `c${concurrency}.json`, entries, { out, concurrency });
      const start = performance.now();
      const r = await spacegen(dir, ["--config", `c${concurrency}.json`], 900_000);
      const ms = performance.now() - start;
      expect(r.stderr.split("\n").filter((l) => /error/.test(l))).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split("\n")).toHaveLength(20);
      return ms;
    };
    const sequential = await timed("seq", 1);
    const concurrent = await timed("par", 4);
    const concurrent8 = await timed("par8", 8);
    console.log(
      `20 Spaces: one by one ${(sequential / 1000).toFixed(1)} s; concurrency 4 ${(concurrent / 1000).toFixed(1)} s; concurrency 8 ${(concurrent8 / 1000).toFixed(1)} s`,
    );
    const seqTree = tree(join(dir, "seq"));
    expect(Object.keys(seqTree)).toHaveLength(40);
    // the banner names the config file, which differs per run
    const norm = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.replace(/--config c\d+\.json/g, "--config X")]));
    expect(norm(tree(join(dir, "par")))).toEqual(norm(seqTree));
    expect(norm(tree(join(dir, "par8")))).toEqual(norm(seqTree));
    // and the check of the concurrent output passes
    const check = await spacegen(dir, ["--config", "c4.json", "--check"], 900_000);
    expect(check.code).toBe(0);
  }, 1_800_000);
});
