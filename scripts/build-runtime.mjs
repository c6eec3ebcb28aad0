// Caches the emitted form of templates/runtime.ts in dist/runtime.json (see src/runtime-template.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { buildRuntime, templateHash } from "../dist/runtime-template.js";

const source = readFileSync(new URL("../templates/runtime.ts", import.meta.url), "utf8");
const runtime = await buildRuntime(source);
writeFileSync(new URL("../dist/runtime.json", import.meta.url), JSON.stringify({ hash: templateHash(source), ...runtime }));
