// Loaded with `node --import` by test/disk/outputs.test.ts: makes fs.promises.writeFile fail, after writing
// a few bytes (as a full disk does), with the errno code FAULT_CODE for paths matching the regex FAULT_PATH;
// and fs.promises.rename fail with FAULT_CODE when its target matches the regex FAULT_RENAME.
// The CLI's own `import { writeFile } from "node:fs/promises"` sees the change through syncBuiltinESMExports.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const code = process.env.FAULT_CODE ?? "ENOSPC";
const pattern = new RegExp(process.env.FAULT_PATH ?? "$^");
const writeFile = fs.promises.writeFile;
fs.promises.writeFile = async (path, data, ...rest) => {
  if (!pattern.test(String(path))) return writeFile(path, data, ...rest);
  await writeFile(path, String(data).slice(0, 16), ...rest);
  const error = new Error(`${code}: injected fault, write '${path}'`);
  Object.assign(error, { code, syscall: "write", path: String(path) });
  throw error;
};
const renamePattern = new RegExp(process.env.FAULT_RENAME ?? "$^");
const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  if (!renamePattern.test(String(to))) return rename(from, to);
  const error = new Error(`${code}: injected fault, rename '${from}' -> '${to}'`);
  Object.assign(error, { code, syscall: "rename", path: String(from), dest: String(to) });
  throw error;
};
syncBuiltinESMExports();
