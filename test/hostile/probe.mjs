// Imports a bundled generated module with every side-effecting global replaced by a throwing stub,
// then checks that importing it did nothing but define things, and that its exported values carry
// the document's strings exactly (endpoint keys, URLs and defaults on the wire).
//
//   node probe.mjs <bundle.mjs> <expect.json>   → prints one JSON line: { ok, problems[], checked }
import { readFileSync, writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const [bundle, expectFile] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectFile, "utf8"));
const problems = [];
const out = (v) => writeSync(1, JSON.stringify(v) + "\n");

const protoKeys = (o) => Reflect.ownKeys(o).map(String).sort();
const before = {
  global: protoKeys(globalThis),
  object: protoKeys(Object.prototype),
  array: protoKeys(Array.prototype),
  fn: protoKeys(Function.prototype),
  string: protoKeys(String.prototype),
};
const stubbed = ["fetch", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "eval", "XMLHttpRequest", "WebSocket", "require"];
const saved = new Map();
const effects = [];
for (const name of stubbed) {
  saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
  Object.defineProperty(globalThis, name, {
    configurable: true,
    writable: true,
    value: () => {
      effects.push(name);
      throw new Error(`side effect at import: ${name}`);
    },
  });
}
const consoleSaved = { ...console };
for (const k of Object.keys(console)) console[k] = () => effects.push(`console.${k}`);
const exitSaved = process.exit;
process.exit = () => {
  effects.push("process.exit");
  throw new Error("process.exit at import");
};
const writeSaved = process.stdout.write;
process.stdout.write = process.stderr.write = () => (effects.push("stdio"), true);

let mod;
try {
  mod = await import(pathToFileURL(bundle).href);
} catch (error) {
  problems.push(`import threw: ${String(error?.message ?? error).slice(0, 300)}`);
}
for (const [name, desc] of saved) {
  if (desc) Object.defineProperty(globalThis, name, desc);
  else delete globalThis[name];
}
Object.assign(console, consoleSaved);
process.exit = exitSaved;
process.stdout.write = writeSaved;

if (effects.length) problems.push(`side effects at import: ${[...new Set(effects)].join(", ")}`);
const after = {
  global: protoKeys(globalThis),
  object: protoKeys(Object.prototype),
  array: protoKeys(Array.prototype),
  fn: protoKeys(Function.prototype),
  string: protoKeys(String.prototype),
};
if (!isDeepStrictEqual(before, after)) problems.push("globals or prototypes changed at import");
if ("__pwned" in globalThis || "polluted" in {}) problems.push("injected code ran");

let checked = 0;
if (mod) {
  const keys = Object.keys(mod);
  for (const k of ["space", "endpoints", "createClient"]) if (!keys.includes(k)) problems.push(`missing export ${k}`);
  if (mod.space?.url !== expected.url) problems.push(`space.url ${JSON.stringify(mod.space?.url)} != ${JSON.stringify(expected.url)}`);
  const names = Object.keys(mod.endpoints ?? {});
  if (
    !isDeepStrictEqual(
      names,
      expected.endpoints.map((e) => e.apiName),
    )
  )
    problems.push(
      `endpoints keys differ: got ${names.length}, expected ${expected.endpoints.length}; first difference at ${names.findIndex((n, i) => n !== expected.endpoints[i]?.apiName)}`,
    );
  const client = mod.createClient({});
  for (const e of expected.endpoints.slice(0, expected.wireLimit ?? 200)) {
    const fn = mod.endpoints?.[e.apiName];
    if (typeof fn !== "function") {
      problems.push(`${JSON.stringify(e.apiName).slice(0, 80)} is not a function`);
      continue;
    }
    if (e.skipWire) continue;
    const input = {};
    for (const [k, v] of e.input) Object.defineProperty(input, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (const call of [fn, Object.values(client)[expected.endpoints.indexOf(e)]]) {
      let seen;
      const fake = async (url, init) => {
        seen = { url: String(url), body: init.body };
        throw new Error("stop here");
      };
      let error;
      try {
        // (the /call transport, whose URL names the endpoint; the queue's join carries the same data)
        await call(input, { fetch: fake, token: "", transport: "call" });
      } catch (err) {
        error = err;
      }
      if (error?.name !== "SpaceError") problems.push(`${e.apiName.slice(0, 60)}: call did not fail with SpaceError: ${error}`);
      // an API prefix that is not a plain path (it could move a URL off the app's origin) is refused before any request
      if (!/^(\/(?!\.\.?(\/|$))[\w.~-]+)*$/.test(expected.prefix)) {
        if (seen || error?.kind !== "protocol") problems.push(`${JSON.stringify(e.apiName).slice(0, 60)}: a hostile prefix was not refused before any request`);
        checked++;
        continue;
      }
      // as a URL parser writes it: the runtime parses the app's url (a hostile one is percent-encoded, not pasted)
      const wantUrl = new URL(expected.url + expected.prefix + "/call/" + encodeURIComponent(e.wire)).href;
      if (seen?.url !== wantUrl)
        problems.push(`${JSON.stringify(e.apiName).slice(0, 60)}: POST to ${seen?.url?.slice(0, 200)}, expected ${wantUrl.slice(0, 200)}`);
      const data = seen && JSON.parse(seen.body).data;
      if (JSON.stringify(data) !== JSON.stringify(e.data))
        problems.push(`${JSON.stringify(e.apiName).slice(0, 60)}: wire data ${JSON.stringify(data)?.slice(0, 300)} != ${JSON.stringify(e.data).slice(0, 300)}`);
      checked++;
    }
  }
}
out({ ok: problems.length === 0, problems: problems.slice(0, 20), checked });
