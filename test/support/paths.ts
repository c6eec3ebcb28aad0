import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Shared fixtures live beside the repository and are never copied into it. */
export const sharedFixtures = resolve(repoRoot, "../shared/fixtures");
export const cliPath = resolve(repoRoot, "bin/spacegen.js");
