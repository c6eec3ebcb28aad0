// Loaded with `node --import` by lazy-typescript.test.ts: appends every module file this process loads to the
// file LOAD_RECORD, one per line: ES modules through a resolve hook (record-loads-hooks.mjs), CommonJS
// through Module._resolveFilename (which require() calls, also when an ES module imports a CommonJS one).
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

register(new URL("./record-loads-hooks.mjs", import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  appendFileSync(process.env.LOAD_RECORD, `${file}\n`);
  return file;
};
