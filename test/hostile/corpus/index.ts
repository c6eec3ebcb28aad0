// The hand-written documents of the corpus: *.json beside this file. A name ending in ".refuse.json"
// must be refused with exit 2; any other must give a module.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HostileCase } from "./cases.ts";

const here = dirname(fileURLToPath(import.meta.url));

export function loadCorpusFiles(): HostileCase[] {
  return readdirSync(here)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const text = readFileSync(join(here, f), "utf8");
      return { name: "file-" + f.replace(/\.json$/, ""), text, expect: f.endsWith(".refuse.json") ? ("refuse" as const) : ("module" as const) };
    });
}
