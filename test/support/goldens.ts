// The golden inputs and outputs, test/goldens/<version>/<app>/: what the project's own apps (test/apps/) served on
// each Gradio version, captured by scripts/observe.mjs, beside the module spacegen makes of it.
//
//   config.json, info.json   the documents as served: the goldens, toolchain, README and drift tests generate from them
//   module.ts                the golden (test/goldens/goldens.test.ts), runtime left out
//   calls/<case>.sse         the raw bytes of a /call stream: the SSE reader's real inputs (test/runtime/observed.test.ts)
//
// This module is the only reader of that folder. test/goldens/inputs.test.ts checks that the folder holds exactly
// these files, so what no test reads (the rest of each capture) stays in test/evidence/.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseJson } from "../../src/shared/json.ts";
import { SNAPSHOT_FORMAT, trimConfig, trimInfo, type Snapshot } from "../../src/load/snapshot.ts";
import { repoRoot } from "./paths.ts";

export const goldensRoot = resolve(repoRoot, "test/goldens");

/** The files of an app's folder that tests read, besides the streams in calls/. */
export const GOLDEN_FILES = ["config.json", "info.json", "module.ts"] as const;

export interface GoldenCase {
  version: string;
  app: string;
  dir: string;
}

const isVersion = (name: string) => /^\d+\.\d+\.\d+$/.test(name);

export const goldenCases: GoldenCase[] = readdirSync(goldensRoot)
  .filter(isVersion)
  .flatMap((version) =>
    readdirSync(join(goldensRoot, version))
      .filter((app) => existsSync(join(goldensRoot, version, app, "config.json")))
      .map((app) => ({ version, app, dir: join(goldensRoot, version, app) })),
  );

/** One document an app served on a version, for a test that reads it directly (a stand-in server, a saved /info). */
export function goldenInput(version: string, app: string, file: "config.json" | "info.json"): string {
  return join(goldensRoot, version, app, file);
}

/** The golden module's path (it may not exist yet: the goldens test writes a missing one). */
export function goldenModule({ dir }: GoldenCase): string {
  return join(dir, "module.ts");
}

/** A case's documents as the snapshot spacegen would have saved, with a fixed URL: the captures were made on random ports. */
export function goldenSnapshot({ dir, app }: GoldenCase): Snapshot {
  const read = (file: string) => parseJson(readFileSync(join(dir, file), "utf8"), file) as Record<string, unknown>;
  const config = read("config.json");
  return {
    spacegen: SNAPSHOT_FORMAT,
    source: { space: null, url: "http://127.0.0.1:7860", name: app },
    gradioVersion: typeof config.version === "string" ? config.version : null,
    config: trimConfig(config),
    apiPrefix: null,
    info: trimInfo(read("info.json")),
    notes: [],
  };
}

export interface CapturedStream {
  /** <version>/<app>/<case>.sse */
  name: string;
  path: string;
}

/** Every captured /call stream, all versions and apps. */
export const capturedStreams: CapturedStream[] = goldenCases.flatMap(({ version, app, dir }) => {
  const calls = join(dir, "calls");
  if (!existsSync(calls)) return [];
  return readdirSync(calls)
    .filter((f) => f.endsWith(".sse"))
    .sort()
    .map((f) => ({ name: `${version}/${app}/${f}`, path: join(calls, f) }));
});
