// npm run bench: spacegen's generated module vs @gradio/client, and a hand-written floor per transport
// (bench/floor.mjs), measured side by side in one run against the same local Gradio app
// (test/apps/bench_echo.py), printed as ratios. The module runs with its default transport (the queue: it is
// generated from the app's URL) and with `transport: "call"`.
//
//   npm run bench                      # everything (needs the Gradio 6.31.0 venv: scripts/setup-gradio.sh)
//   npm run bench -- --only size,sse   # sections: cold, warm, throughput, requests, size, generator, sse
//   npm run bench -- --quick           # fewer repetitions, for a smoke run
//
// Not a test: nothing here fails on a slow machine. Runs are interleaved (A, B, A, B…) and medians
// reported, so a noisy shared machine slows both sides alike and the ratios hold.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { startApp } from "../test/support/gradio.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = join(ROOT, "bench", ".cache");
const GRADIO = process.env.SPACEGEN_GRADIO ?? "6.31.0";
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args[args.indexOf("--only") + 1];
const only = args.includes("--only") ? new Set(onlyArg.split(",")) : null;
const want = (s) => !only || only.has(s);
mkdirSync(CACHE, { recursive: true });

// ---- statistics and output ----------------------------------------------------------------------
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (xs) => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 1) => (x >= 100 ? x.toFixed(0) : x.toFixed(d));
const kb = (b) => (b / 1024).toFixed(2) + " KB";
const rows = [];
/** One row: what, spacegen, @gradio/client, ratio, goal, met?, floor. */
function row(what, ours, theirs, ratio, goal, met, floor = "") {
  rows.push({ what, ours, theirs, ratio: ratio === null ? "—" : ratio.toFixed(2) + "×", goal, met: met === null ? "" : met ? "yes" : "**no**", floor });
  console.error(`  ${what}: ${ours} vs ${theirs}${ratio === null ? "" : ` (${ratio.toFixed(2)}×)`}${floor ? `; floor ${floor}` : ""}`);
}
const log = (s) => console.error(s);

// ---- building what is measured ------------------------------------------------------------------
function buildCli() {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
}
async function bundle(entry, outfile, extra = {}) {
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, format: "esm", platform: "neutral", logLevel: "warning", ...extra });
  return outfile;
}
function spacegen(argv, opts = {}) {
  return execFileSync(process.execPath, [join(ROOT, "bin", "spacegen.js"), ...argv], { cwd: ROOT, encoding: "utf8", ...opts });
}

// ---- the app, and a counting reverse proxy in front of it ---------------------------------------
/** Forwards everything to `target` (Host kept, so the app builds URLs that point back here) and counts requests. */
function startProxy(target) {
  const t = new URL(target);
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.method + " " + req.url.replace(/\/[0-9a-f]{32}\b/g, "/{id}").replace(/\?.*/, ""));
    const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () =>
      ok({ url: `http://127.0.0.1:${server.address().port}`, take: () => seen.splice(0), close: () => (server.closeAllConnections(), server.close()) }),
    ),
  );
}

function runCold(kind, url, what, ctx) {
  return new Promise((ok, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(ROOT, "bench", "cold.mjs"), kind, url, what, ctx.modulePath, String(ctx.fnIndex)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b) => (out += b));
    child.on("exit", (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0) return fail(new Error(`cold ${kind} exited ${code}`));
      ok({ ...JSON.parse(out), wallMs });
    });
  });
}

// The clients compared: the generated module with its default transport (the queue, since it was generated
// from the app's URL) and with transport "call", @gradio/client, and the two floors (bench/floor.mjs).
const KINDS = ["generated", "generated-call", "gradio", "floor-queue", "floor-call"];
/** The floor each spacegen transport is measured against. */
const FLOOR_OF = { generated: "floor-queue", "generated-call": "floor-call" };
const LABEL = { generated: "", "generated-call": ", transport call" };

// ---- sections -------------------------------------------------------------------------------------
async function cold(ctx) {
  const n = quick ? 5 : 15;
  log(`cold first call: ${n} fresh processes each, interleaved`);
  const r = Object.fromEntries(KINDS.map((k) => [k, []]));
  for (let i = 0; i < n; i++) for (const kind of KINDS) r[kind].push(await runCold(kind, ctx.url, "echo", ctx));
  const m = (kind, key) => median(r[kind].map((x) => x[key]));
  const inner = (kind) => m(kind, "importMs") + m(kind, "callMs");
  for (const kind of ["generated", "generated-call"]) {
    const ratio = inner(kind) / inner("gradio");
    const floor = inner(FLOOR_OF[kind]);
    const near = inner(kind) <= 1.1 * floor;
    row(
      `1. cold: import + first call in a fresh process${LABEL[kind]}, median ms (floor: ${FLOOR_OF[kind]}; within 10%: ${near ? "yes" : "no"})`,
      fmt(inner(kind)),
      fmt(inner("gradio")),
      ratio,
      "≤ 0.6×, ≤ 1.1× floor",
      ratio <= 0.6 && near,
      fmt(floor),
    );
  }
  const wall = m("generated", "wallMs") / m("gradio", "wallMs");
  row(
    "1b. cold: process wall (spawn → result), median ms",
    fmt(m("generated", "wallMs")),
    fmt(m("gradio", "wallMs")),
    wall,
    "",
    null,
    fmt(m("floor-queue", "wallMs")),
  );
}

async function loadClients(ctx) {
  const gen = await import(pathToFileURL(ctx.modulePath).href);
  const viaCall = gen.createClient({ transport: "call" });
  const { Client } = await import("@gradio/client");
  const client = await Client.connect(ctx.url);
  const { floorCall, queueFloor } = await import("./floor.mjs");
  const floor = queueFloor(ctx.url, ctx.fnIndex);
  return {
    generated: (text) => gen.echo({ text }),
    "generated-call": (text) => viaCall.echo({ text }),
    gradio: async (text) => (await client.predict("/echo", { text })).data[0],
    "floor-queue": (text) => floor(text),
    "floor-call": (text) => floorCall(ctx.url, text),
    close: () => client.close?.(),
  };
}

async function warm(ctx, clients) {
  const total = quick ? 40 : 200;
  const block = 10;
  log(`warm latency: ${total} sequential calls each, in interleaved blocks of ${block}`);
  const r = Object.fromEntries(KINDS.map((k) => [k, []]));
  for (const k of KINDS) for (let i = 0; i < 10; i++) await clients[k]("hi"); // warm-up
  for (let done = 0; done < total; done += block)
    for (const k of KINDS)
      for (let i = 0; i < block; i++) {
        const t = performance.now();
        const v = await clients[k]("hi");
        r[k].push(performance.now() - t);
        if (v !== "hi") throw new Error(`${k} returned ${JSON.stringify(v)}`);
      }
  for (const kind of ["generated", "generated-call"]) {
    const med = median(r[kind]) / median(r.gradio);
    row(
      `2. warm call latency${LABEL[kind]}, median ms`,
      fmt(median(r[kind])),
      fmt(median(r.gradio)),
      med,
      "≤ 0.8×",
      med <= 0.8,
      fmt(median(r[FLOOR_OF[kind]])),
    );
    const p95 = quantile(r[kind], 0.95) / quantile(r.gradio, 0.95);
    row(
      `2b. warm call latency${LABEL[kind]}, p95 ms`,
      fmt(quantile(r[kind], 0.95)),
      fmt(quantile(r.gradio, 0.95)),
      p95,
      "≤ 0.8×",
      p95 <= 0.8,
      fmt(quantile(r[FLOOR_OF[kind]], 0.95)),
    );
  }
}

// The Gradio app's side of a run, from /proc (Linux; elsewhere the CPU rows are left out): the CPU time of its process
// group (user + system, every thread, ended ones included), and per thread how long it was ready to run but waited
// for a CPU (schedstat; a thread that ends during a run takes its wait with it, so the wait is a lower bound).
const procReadable = existsSync("/proc/self/schedstat");
function appCpu(pgid) {
  let cpuMs = 0;
  const waitMs = new Map(); // thread id → ms waited for a CPU since it started
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      cpuMs += (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
      for (const task of readdirSync(`/proc/${pid}/task`))
        waitMs.set(task, Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[1]) / 1e6);
    } catch {
      // a process or thread that ended meanwhile
    }
  }
  return { cpuMs, waitMs };
}
/** The app's CPU ms and its threads' ms of waiting for a CPU between two appCpu() readings. */
function appCpuSince(before, after) {
  let waitMs = 0;
  for (const [task, ms] of after.waitMs) waitMs += ms - (before.waitMs.get(task) ?? 0);
  return { cpuMs: after.cpuMs - before.cpuMs, waitMs };
}

async function throughput(ctx, clients) {
  const rounds = quick ? 1 : 3;
  for (const conc of [1, 8, 32, 128]) {
    const calls = quick ? Math.max(40, 2 * conc) : Math.max(200, 4 * conc);
    log(`throughput: ${calls} calls at concurrency ${conc}, ${rounds} interleaved rounds`);
    const r = Object.fromEntries(KINDS.map((k) => [k, []]));
    // calls that failed (the server dropping connections under load): counted, not fatal, and shown in the row
    const failed = Object.fromEntries(KINDS.map((k) => [k, 0]));
    // per run: CPU ms per call of this process (the client) and of the app, and the app's threads' wait for a CPU
    const cpu = Object.fromEntries(KINDS.map((k) => [k, { client: [], app: [], use: [], wait: [] }]));
    for (let round = 0; round < rounds; round++)
      for (const k of KINDS) {
        let next = 0;
        let wrong = 0;
        let done = 0;
        const app0 = procReadable && appCpu(ctx.app.pid);
        const client0 = process.cpuUsage();
        const t = performance.now();
        await Promise.all(
          Array.from({ length: conc }, async () => {
            while (next < calls) {
              const text = `call ${next++}`;
              try {
                if ((await clients[k](text)) !== text) wrong++;
                else done++;
              } catch (error) {
                failed[k]++;
                if (failed[k] === 1) log(`  ${k}: a call failed: ${error?.message ?? error}`);
              }
            }
          }),
        );
        if (wrong) throw new Error(`${k}: ${wrong} calls returned another call's value`);
        const ms = performance.now() - t;
        r[k].push(done / (ms / 1000));
        const client = process.cpuUsage(client0);
        cpu[k].client.push((client.user + client.system) / 1000 / done);
        if (app0) {
          const app = appCpuSince(app0, appCpu(ctx.app.pid));
          cpu[k].app.push(app.cpuMs / done);
          cpu[k].use.push((100 * app.cpuMs) / ms);
          cpu[k].wait.push((100 * app.waitMs) / ms);
        }
      }
    const goal = conc === 32 ? 1.2 : 1.0;
    const lost = (k) => (failed[k] ? ` (${failed[k]} failed)` : "");
    for (const kind of ["generated", "generated-call"]) {
      const ratio = median(r[kind]) / median(r.gradio);
      row(
        `3. throughput at concurrency ${conc}${LABEL[kind]}, calls/s`,
        fmt(median(r[kind])) + lost(kind),
        fmt(median(r.gradio)) + lost("gradio"),
        ratio,
        `≥ ${goal.toFixed(1)}×`,
        ratio >= goal,
        fmt(median(r[FLOOR_OF[kind]])) + lost(FLOOR_OF[kind]),
      );
    }
    // what bounds the rows above: the CPU each call costs the client and the app, and whether the app got a CPU
    if (!procReadable) continue;
    const perCall = (k) => `${median(cpu[k].client).toFixed(2)} ms / ${median(cpu[k].app).toFixed(2)} ms`;
    for (const kind of ["generated", "generated-call"])
      row(
        `3b. CPU per call at concurrency ${conc}${LABEL[kind]}, client / Gradio app`,
        perCall(kind),
        perCall("gradio"),
        median(cpu[kind].client) / median(cpu.gradio.client),
        "",
        null,
        perCall(FLOOR_OF[kind]),
      );
    const share = (k) => `${median(cpu[k].use).toFixed(0)}% / ${median(cpu[k].wait).toFixed(0)}%`;
    row(
      `3c. the Gradio app at concurrency ${conc}: CPU used / its threads' wait for a CPU, % of one core over the run`,
      share("generated"),
      share("gradio"),
      null,
      "",
      null,
      share("floor-queue"),
    );
  }
}

async function requests(ctx) {
  log("requests per first call, counted by a proxy in front of the app");
  const proxy = await startProxy(ctx.url);
  try {
    const count = {};
    for (const what of ["echo", "upload"])
      for (const kind of KINDS) {
        if (kind.startsWith("floor") && what === "upload") continue;
        proxy.take();
        await runCold(kind, proxy.url, what, ctx);
        await new Promise((ok) => setTimeout(ok, 100)); // requests the client started in the background
        count[kind + what] = proxy.take();
        log(`    ${kind} ${what}: ${count[kind + what].join(", ")}`);
      }
    for (const what of ["echo", "upload"])
      for (const kind of ["generated", "generated-call"]) {
        const g = count[kind + what].length;
        const c = count["gradio" + what].length;
        const want = what === "upload" ? 3 : 2;
        row(
          `4. requests per first call${what === "upload" ? ", with an upload" : ""}${LABEL[kind]}`,
          String(g),
          String(c),
          g / c,
          String(want),
          g === want,
          what === "echo" ? String(count[FLOOR_OF[kind] + what].length) : "",
        );
      }
  } finally {
    proxy.close();
  }
}

/**
 * The example module, generated by the current CLI: from generated/basic.schema.json when the repo ships it,
 * else from test/apps/basic.py (started once; its snapshot is cached in bench/.cache).
 */
async function basicModule() {
  const module = join(CACHE, "basic.ts");
  const shipped = join(ROOT, "generated", "basic.schema.json");
  if (existsSync(shipped)) {
    spacegen([shipped, "-o", module]);
    return { module, snapshot: shipped };
  }
  const snapshot = join(CACHE, "basic.schema.json");
  if (!existsSync(snapshot)) {
    log("generating the example module from test/apps/basic.py");
    const app = await startApp("basic", { version: GRADIO });
    try {
      spacegen([app.url, "-o", module]);
    } finally {
      await app.stop();
    }
  } else spacegen([snapshot, "-o", module]); // the current generator's output for the same snapshot
  return { module, snapshot };
}

async function gzipOf(contents, resolveDir, platform = "browser") {
  const r = await esbuild.build({
    stdin: { contents, resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    write: false,
    logLevel: "silent",
  });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

async function size() {
  log("shipped bytes: esbuild bundle, minify, gzip -9");
  const { module } = await basicModule();
  const src = readFileSync(module, "utf8");
  const fns = [...src.matchAll(/^export const (\w+): Endpoint</gm)].map((m) => m[1]);
  const dir = dirname(module);
  const imp = (names) => `import { ${names.join(", ")} } from ${JSON.stringify(module)};\nglobalThis.x = [${names.join(", ")}];`;
  const whole = await gzipOf(`import * as m from ${JSON.stringify(module)};\nglobalThis.x = m;`, dir);
  const all = await gzipOf(imp([...fns, "createClient", "SpaceError"]), dir);
  const one = await gzipOf(imp([fns[0]]), dir);
  const rt = JSON.stringify(join(ROOT, "templates", "runtime.ts"));
  const runtime = await gzipOf(`import { bareEndpoint } from ${rt};\nglobalThis.x = bareEndpoint;`, dir);
  const withFiles = await gzipOf(`import { endpoint } from ${rt};\nglobalThis.x = endpoint;`, dir);
  const gradio = await gzipOf(`import { Client, handle_file } from "@gradio/client";\nglobalThis.x = [Client, handle_file];`, ROOT);
  const marginal = (all.gz - one.gz) / Math.max(1, fns.length - 1);
  const r = all.gz / gradio.gz;
  row(`5. shipped bytes, ${fns.length}-endpoint example module (every endpoint + createClient), min+gz`, kb(all.gz), kb(gradio.gz), r, "≤ 0.15×", r <= 0.15);
  row("5b. shipped bytes, one endpoint imported (runtime + 1), min+gz", kb(one.gz), kb(gradio.gz), one.gz / gradio.gz, "≤ 2.50 KB", one.gz <= 2.5 * 1024);
  row("5c. shipped bytes, the whole module (`import *`, agent tools included), min+gz", kb(whole.gz), kb(gradio.gz), whole.gz / gradio.gz, "", null);
  row("5d. runtime alone, min+gz", kb(runtime.gz), kb(gradio.gz), runtime.gz / gradio.gz, "", null);
  row("5e. + file inputs (upload path, bundled only with an endpoint that has them), min+gz", `+${withFiles.gz - runtime.gz} B`, "—", null, "", null);
  row("5f. marginal bytes per endpoint, min+gz", `${marginal.toFixed(0)} B`, "—", null, "", null);
  await sizeBreakdown(module, fns[0], one.gz);
}

// Where one endpoint's bytes go (row 5b), by part of the runtime. A part's bytes: the bundle with the bodies of its
// functions replaced by a stub that still names what they called (so nothing else drops out with them), minus the
// whole. Parts are measured one at a time; what gzip shares between parts is the rest.
const SIZE_PARTS = {
  "error class and failure path (SpaceError brand, fail, spaceError, secret redaction)": [
    "SpaceError",
    "fail",
    "errorMessage",
    "appError",
    "spaceError",
    "redactSecrets",
    "secretsOf",
  ],
  "SSE parser": ["sse"],
  "opening a call (options, URL and API-prefix checks, token scope, deadline, abort)": [
    "mergeOptions",
    "limitTimer",
    "parseUrl",
    "isLoopback",
    "envToken",
    "appRoot",
    "openCall",
    "stopCall",
    "pathSegment",
  ],
  "requests (origin checks, redirects, replica cookies, bounded reads, idle waits)": [
    "newPin",
    "rememberCookies",
    "sendRequest",
    "jsonAnswer",
    "jsonPost",
    "awaitServer",
    "unlessStopped",
    "networkError",
    "bodyReader",
    "readBody",
    "decodeChunks",
  ],
  "HTTP error messages (422 details, a body's start)": ["errorText", "httpError"],
  "JSON and results (non-finite numbers, the result's shape, file URLs)": ["nonFiniteAsNull", "parseJson", "wireData", "fileUrls", "callResult", "mapFiles"],
  "generator diffs": ["applyDiff"],
  "queue transport (channels, session pool, dispatch, the shared stream, cancels)": [
    "sessionHash",
    "newChannel",
    "sharedChannel",
    "dispatch",
    "failWaiting",
    "openStream",
    "idle",
    "leaveBehind",
    "cancelLeftBehind",
    "cancelWhenJoined",
  ],
  "call transport (/call events)": ["callEvent"],
  "the call lifecycle (runCall)": ["runCall"],
  "endpoint functions (finalValue, bareEndpoint, bind)": ["finalValue", "partsOf", "bareEndpoint", "bind"],
};
async function sizeBreakdown(module, endpointName, wholeGz) {
  const ts = (await import("typescript")).default;
  const src = readFileSync(module, "utf8");
  const file = ts.createSourceFile(module, src, ts.ScriptTarget.Latest, true);
  const topNames = new Set();
  const bodies = new Map(); // name → [start, end] of a function's body or a class's members
  for (const st of file.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) topNames.add(st.name.text);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) topNames.add(d.name.text);
    if (ts.isFunctionDeclaration(st) && st.name && st.body) bodies.set(st.name.text, [st.body.getStart(), st.body.end]);
    if (ts.isClassDeclaration(st) && st.name) bodies.set(st.name.text, [st.members.pos, st.members.end]);
  }
  // the top-level values a range refers to (types and property names excluded)
  const refsIn = (start, end) => {
    const refs = new Set();
    const visit = (node) => {
      if (node.end <= start || node.pos >= end) return;
      const parent = node.parent;
      if (
        ts.isIdentifier(node) &&
        node.getStart() >= start &&
        topNames.has(node.text) &&
        !ts.isTypeReferenceNode(parent) &&
        !(ts.isPropertyAccessExpression(parent) && parent.name === node) &&
        !ts.isPropertyAssignment(parent)
      )
        refs.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(file);
    return refs;
  };
  const stubbed = join(dirname(module), "size-part.ts");
  const importOne = `import { ${endpointName} } from ${JSON.stringify(stubbed)};\nglobalThis.x = [${endpointName}];`;
  let sum = 0;
  for (const [part, names] of Object.entries(SIZE_PARTS)) {
    const ranges = names.map((name) => {
      if (!bodies.has(name)) throw new Error(`bench: SIZE_PARTS names ${name}, which the generated module does not define: update it`);
      return [...bodies.get(name), name];
    });
    let code = src;
    for (const [start, end, name] of ranges.sort((a, b) => b[0] - a[0])) {
      const keep = [...refsIn(start, end)].filter((r) => r !== name && !names.includes(r));
      const stub = code[start] === "{" ? `{ throw [${keep.join(", ")}]; }` : keep.length ? `static keep = [${keep.join(", ")}];` : "";
      code = code.slice(0, start) + stub + code.slice(end);
    }
    writeFileSync(stubbed, code);
    const bytes = wholeGz - (await gzipOf(importOne, dirname(module))).gz;
    sum += bytes;
    row(`5g. one endpoint's bytes by part: ${part}, min+gz`, `${bytes} B`, "—", null, "", null);
  }
  row(
    "5g. one endpoint's bytes by part: the rest (the endpoint and app specs, module glue, what gzip shares between parts), min+gz",
    `${wholeGz - sum} B`,
    "—",
    null,
    "",
    null,
  );

  // Across the parts: the error messages (every string literal in a fail() or new SpaceError() message emptied),
  // and the property names of the runtime's internal objects (mangled by esbuild, as a minifier renames locals:
  // the most that turning those objects into closures could save).
  const edits = [];
  const visitMessages = (node) => {
    const isFail = ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "fail";
    const isNew = ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "SpaceError";
    const literals = (n) => {
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) edits.push([n.getStart(), n.end]);
      ts.forEachChild(n, literals);
    };
    if ((isFail || isNew) && node.arguments?.[1]) literals(node.arguments[1]);
    ts.forEachChild(node, visitMessages);
  };
  visitMessages(file);
  let silent = src;
  for (const [start, end] of edits.sort((a, b) => b[0] - a[0])) silent = silent.slice(0, start) + '""' + silent.slice(end);
  writeFileSync(stubbed, silent);
  const messages = wholeGz - (await gzipOf(importOne, dirname(module))).gz;
  row(`5h. of those, the ${edits.length} error messages' text, min+gz`, `${messages} B`, "—", null, "", null);
  const internal = ["Conn", "Channel", "Pin"];
  const membersOf = (test) =>
    file.statements.filter((st) => ts.isInterfaceDeclaration(st) && test(st)).flatMap((st) => st.members.map((m) => m.name?.getText()).filter(Boolean));
  // a name the public API also uses (headers, fetch: the caller's options) could not be renamed
  const exported = new Set(membersOf((st) => st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)));
  const props = [...new Set(membersOf((st) => internal.includes(st.name.text)))].filter((name) => !exported.has(name));
  if (props.length < 20) throw new Error(`bench: the interfaces ${internal.join(", ")} are not in the generated module: update the size breakdown`);
  const mangled = await esbuild.build({
    stdin: {
      contents: `import { ${endpointName} } from ${JSON.stringify(module)};\nglobalThis.x = [${endpointName}];`,
      resolveDir: dirname(module),
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
    mangleProps: new RegExp(`^(${props.join("|")})$`),
  });
  const names = wholeGz - gzipSync(mangled.outputFiles[0].contents, { level: 9 }).length;
  row(`5h. of those, the ${props.length} property names of the internal objects (${internal.join(", ")}), min+gz`, `${names} B`, "—", null, "", null);
}

function timedRun(argv) {
  // /usr/bin/time writes its line last on stderr; spawnSync keeps stderr on success
  const r = spawnSyncTime(argv);
  const [s, user, sys, kbs] = r.trim().split("\n").pop().split(" ").map(Number);
  return { ms: s * 1000, cpu: (user + sys) * 1000, mb: kbs / 1024 };
}
function spawnSyncTime(argv) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", process.execPath, join(ROOT, "bin", "spacegen.js"), ...argv], { cwd: CACHE, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`spacegen ${argv.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stderr;
}

async function generator() {
  buildCli();
  const { snapshot } = await basicModule();
  const fixture = "/work/shared/fixtures/third-party-info/Shreyas126-tech_vaniverse_AI__musicgen-style-space.json";
  const fixtureLocal = existsSync(fixture)
    ? fixture
    : join(ROOT, "..", "shared", "fixtures", "third-party-info", "Shreyas126-tech_vaniverse_AI__musicgen-style-space.json");
  const n = quick ? 3 : 5;
  log(`generator: /usr/bin/time, ${n} runs each, medians`);
  const one = [],
    big = [];
  for (let i = 0; i < n; i++) {
    one.push(timedRun([snapshot, "-o", join(CACHE, "gen-one", "basic.ts")]));
    if (existsSync(fixtureLocal)) big.push(timedRun([fixtureLocal, "--url", "https://example.invalid", "-o", join(CACHE, "gen-big", "musicgen.ts")]));
  }
  const mm = (xs, k) => median(xs.map((x) => x[k]));
  const gen = (xs) => `${fmt(mm(xs, "ms"))} ms wall, ${fmt(mm(xs, "cpu"))} ms CPU, ${fmt(mm(xs, "mb"))} MB`;
  row("6. generator, one Space from a snapshot: wall / CPU (user+sys) / peak RSS", gen(one), "—", null, "≤ 1000 ms", mm(one, "ms") <= 1000);
  if (big.length) row("6b. generator, 20-endpoint fixture", gen(big), "—", null, "≤ 1000 ms", mm(big, "ms") <= 1000);
  // 50 Spaces from one config file (snapshots, so offline): the example snapshot and the big fixture alternately
  const spaces = Array.from({ length: 50 }, (_, i) =>
    i % 2 || !big.length ? { source: snapshot, out: `gen-50/s${i}.ts` } : { source: fixtureLocal, url: "https://example.invalid", out: `gen-50/s${i}.ts` },
  );
  writeFileSync(join(CACHE, "spacegen.config.json"), JSON.stringify({ spaces }, null, 2));
  const fifty = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) fifty.push(timedRun(["--config", join(CACHE, "spacegen.config.json")]));
  row("6c. generator, 50 Spaces from spacegen.config.json (concurrency 4)", gen(fifty), "—", null, "≤ 10000 ms", mm(fifty, "ms") <= 10000);
}

async function sseBench() {
  const runtime = await bundle(join(ROOT, "templates", "runtime.ts"), join(CACHE, "runtime.mjs"));
  const { sse } = await import(pathToFileURL(runtime).href + "?" + Date.now());
  const { makeStream, chunksOf, perEvent, runRuntime, runEventsourceParser } = await import("./sse.mjs");
  const EVENTS = 100_000;
  const bytes = makeStream(EVENTS);
  const reps = quick ? 3 : 9;
  log(`SSE parsing: ${EVENTS} events (${kb(bytes.length)}), ${reps} interleaved repetitions`);
  for (const [label, chunks] of [
    ["16 KB reads", chunksOf(bytes, 16384)],
    ["one read per event", perEvent(bytes)],
  ]) {
    const a = [],
      b = [];
    for (let i = 0; i < reps + 2; i++) {
      let t = performance.now();
      const na = runRuntime(sse, chunks);
      const ta = performance.now() - t;
      t = performance.now();
      const nb = runEventsourceParser(chunks);
      const tb = performance.now() - t;
      if (na !== EVENTS || nb !== EVENTS) throw new Error(`events: runtime ${na}, eventsource-parser ${nb}, expected ${EVENTS}`);
      // two warm-up rounds
      if (i >= 2) {
        a.push((EVENTS / ta) * 1000);
        b.push((EVENTS / tb) * 1000);
      }
    }
    const ratio = median(a) / median(b);
    row(
      `7. SSE parsing, ${label}: events/s (vs eventsource-parser)`,
      `${(median(a) / 1e6).toFixed(2)} M`,
      `${(median(b) / 1e6).toFixed(2)} M`,
      ratio,
      "≥ 1.0×",
      ratio >= 1.0,
    );
  }
}

// ---- main ----------------------------------------------------------------------------------------
const ctx = {};
const needApp = ["cold", "warm", "throughput", "requests"].some(want);
try {
  if (needApp) {
    buildCli();
    log(`starting test/apps/bench_echo.py on Gradio ${GRADIO}`);
    const app = await startApp("bench_echo", { version: GRADIO });
    Object.assign(ctx, { app, url: app.url });
    const ts = join(CACHE, "bench_echo.ts");
    spacegen([app.url, "-o", ts]);
    ctx.modulePath = await bundle(ts, join(CACHE, "bench_echo.mjs"));
    const { floorCall, echoFnIndex } = await import("./floor.mjs");
    ctx.fnIndex = await echoFnIndex(app.url);
    for (let i = 0; i < 5; i++) await floorCall(app.url, "warm-up the server");
  }
  if (want("cold")) await cold(ctx);
  if (want("warm") || want("throughput")) {
    const clients = await loadClients(ctx);
    if (want("warm")) await warm(ctx, clients);
    if (want("throughput")) await throughput(ctx, clients);
    clients.close();
  }
  if (want("requests")) await requests(ctx);
  if (want("size")) await size();
  if (want("generator")) await generator();
  if (want("sse")) await sseBench();
} finally {
  await ctx.app?.stop();
}

const line = (cells) => "| " + cells.join(" | ") + " |";
console.log(line(["figure", "spacegen", "@gradio/client", "ratio", "goal", "met", "floor (hand-written, same transport)"]));
console.log(line(["---", "---:", "---:", "---:", "---", "---", "---:"]));
for (const r of rows) console.log(line([r.what, r.ours, r.theirs, r.ratio, r.goal, r.met, r.floor]));
console.log(
  `\nNode ${process.version}, Gradio ${GRADIO}, @gradio/client ${JSON.parse(readFileSync(join(ROOT, "node_modules", "@gradio", "client", "package.json"), "utf8")).version}, ${new Date().toISOString().slice(0, 10)}`,
);
process.exit(0);
