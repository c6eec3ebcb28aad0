// The /config + /info documents the project's own apps served on each Gradio version (test/fixtures/observed/,
// captured by scripts/observe-all.sh), as snapshots to generate from: the goldens and the toolchain tests use them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseJson } from "../../src/shared/json.ts";
import { SNAPSHOT_FORMAT, trimConfig, trimInfo, type Snapshot } from "../../src/load/snapshot.ts";
import { repoRoot } from "./paths.ts";

export const observedRoot = resolve(repoRoot, "test/fixtures/observed");

export interface ObservedCase {
  version: string;
  app: string;
  dir: string;
}

export const observedCases: ObservedCase[] = readdirSync(observedRoot).flatMap((version) =>
  readdirSync(join(observedRoot, version))
    .filter((app) => existsSync(join(observedRoot, version, app, "config.json")))
    .map((app) => ({ version, app, dir: join(observedRoot, version, app) })),
);

export function observedSnapshot({ dir, app }: ObservedCase): Snapshot {
  const read = (file: string) => parseJson(readFileSync(join(dir, file), "utf8"), file) as Record<string, unknown>;
  const config = read("config.json");
  return {
    spacegen: SNAPSHOT_FORMAT,
    // a fixed URL: the captures were made on random ports
    source: { space: null, url: "http://127.0.0.1:7860", name: app },
    gradioVersion: typeof config.version === "string" ? config.version : null,
    config: trimConfig(config),
    apiPrefix: null,
    info: trimInfo(read("info.json")),
    notes: [],
  };
}
