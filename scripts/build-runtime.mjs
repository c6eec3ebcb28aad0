// Caches the emitted form of the templates in dist/runtime.json (see src/emit/runtime-template.ts).
import { writeFileSync } from "node:fs";
import { buildRuntime, CACHE_FORMAT, readTemplates, templateHash } from "../dist/emit/runtime-template.js";

const sources = readTemplates();
const runtime = await buildRuntime(sources);
writeFileSync(new URL("../dist/runtime.json", import.meta.url), JSON.stringify({ hash: templateHash(sources), format: CACHE_FORMAT, ...runtime }));
