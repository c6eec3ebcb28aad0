#!/usr/bin/env node
// Capture what a running Gradio test app really answers: /config, /info, and raw /call SSE bytes.
//
//   node scripts/observe.mjs <app-url> <app-name> [goldens-root evidence-root]
//
// What tests read goes to <goldens-root>/<gradio-version>/<app-name>/ (default test/goldens/, beside the golden
// module.ts; test/support/goldens.ts reads it):
//   config.json, info.json                        the documents as served (pretty-printed JSON)
//   calls/<case>.sse                              the GET stream's raw bytes, exactly as received
// The rest is evidence for test/e2e/PROTOCOL-NOTES.md, at the same relative paths under <evidence-root>
// (default test/evidence/), which no test reads:
//   info-all.json, probes.json                    /info?all_endpoints=true; which routes answer
//   calls/<case>.json                             request + POST status/body + GET status/headers (+ notes)
//   summary.json                                  one line per case: event names seen, statuses
// Plain Node 20 ESM, no dependencies. Knows the endpoints of the apps in test/apps/.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const HERE = dirname(fileURLToPath(import.meta.url));
const [, , rawUrl, appName, goldensRootArg, evidenceRootArg] = process.argv;
if (!rawUrl || !appName || (goldensRootArg && !evidenceRootArg)) {
  console.error("usage: node scripts/observe.mjs <app-url> <app-name> [goldens-root evidence-root]");
  process.exit(2);
}
const root = rawUrl.replace(/\/+$/, "");
const goldensRoot = resolve(goldensRootArg ?? join(HERE, "..", "test", "goldens"));
const evidenceRoot = resolve(evidenceRootArg ?? join(HERE, "..", "test", "evidence"));

// ---------------------------------------------------------------- tiny media made here
function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function png(width, height, pixel) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(Buffer.from([0]));
    for (let x = 0; x < width; x++) rows.push(Buffer.from(pixel(x, y)));
  }
  const chunk = (tag, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(tag), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
function wav(samples, rate = 8000) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
// 3x2 image: left column red, middle green, right blue (flip → blue on the left)
const PNG_3x2 = png(3, 2, (x) => [x === 0 ? 255 : 0, x === 1 ? 255 : 0, x === 2 ? 255 : 0]);
const PNG_2x2 = png(2, 2, (x, y) => [0, 0, 100 + 50 * (x + y)]);
const WAV_8 = wav([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]);
// Not a playable video: an ISO-BMFF 'ftyp' box only. Enough to see what Video does with the bytes.
const FAKE_MP4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from("ftypisom\0\0\x02\0isomiso2", "latin1")]);
const OBJ = Buffer.from("# triangle\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
const TXT = Buffer.from("hello spacegen\n");
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

// ---------------------------------------------------------------- HTTP helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function getJson(path) {
  const r = await fetch(root + path);
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, text, json };
}

let config, version, prefix, inputDir, evidenceDir;
const summary = [];
const uploaded = new Map(); // name → server path

async function upload(name, bytes, mime) {
  if (uploaded.has(name)) return uploaded.get(name);
  const fd = new FormData();
  fd.append("files", new Blob([bytes], { type: mime }), name);
  const r = await fetch(`${root}${prefix}/upload`, { method: "POST", body: fd });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`upload ${name}: ${r.status} ${body}`);
  const path = JSON.parse(body)[0];
  uploaded.set(name, path);
  return path;
}
const MEDIA = {
  "red-green-blue.png": [PNG_3x2, "image/png"],
  "blue.png": [PNG_2x2, "image/png"],
  "ramp.wav": [WAV_8, "audio/wav"],
  "fake.mp4": [FAKE_MP4, "video/mp4"],
  "triangle.obj": [OBJ, "text/plain"],
  "hello.txt": [TXT, "text/plain"],
};
async function file(name) {
  const [bytes, mime] = MEDIA[name];
  const path = await upload(name, bytes, mime);
  return { path, orig_name: name, size: bytes.length, mime_type: mime, meta: { _type: "gradio.FileData" } };
}

/** Full-length data array for an endpoint: visible values in order, null in skip_api/State slots. */
function fullData(apiName, visible) {
  const dep = config.dependencies.find((d) => d.api_name === apiName);
  if (!dep) return visible;
  const comps = new Map(config.components.map((c) => [c.id, c]));
  const out = [];
  let i = 0;
  for (const id of dep.inputs) {
    const c = comps.get(id);
    if (c && (c.skip_api || c.type === "state")) out.push(null);
    else out.push(i < visible.length ? visible[i++] : null);
  }
  return out;
}

function eventsOf(sse) {
  return [...sse.matchAll(/^event: ?(.*)$/gm)].map((m) => m[1]);
}

/**
 * One /call round trip. opts: {raw: true} sends `data` as is (no State slots added); body overrides the
 * whole POST body; eventId skips the POST; timeoutMs bounds the GET; v2 uses /call/v2.
 */
async function call(caseName, apiName, data, opts = {}) {
  const rec = { case: caseName, api_name: apiName, gradio: version, note: opts.note ?? null };
  const base = `${root}${prefix}/call${opts.v2 ? "/v2" : ""}/${apiName}`;
  let eventId = opts.eventId;
  if (!eventId) {
    const body = opts.body ?? { data: opts.raw ? data : fullData(apiName, data), ...(opts.extra ?? {}) };
    rec.request = { method: "POST", url: base.replace(root, ""), body };
    const r = await fetch(base, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    rec.post = { status: r.status, content_type: r.headers.get("content-type"), body: await r.text() };
    try {
      eventId = JSON.parse(rec.post.body).event_id;
    } catch {
      /* no event id */
    }
  }
  if (eventId) {
    const getUrl = `${root}${prefix}/call/${apiName}/${eventId}`;
    rec.get = { url: getUrl.replace(root, "") };
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), opts.timeoutMs ?? 30_000);
    const chunks = [];
    const t0 = Date.now();
    try {
      const r = await fetch(getUrl, { signal: ac.signal });
      rec.get.status = r.status;
      rec.get.content_type = r.headers.get("content-type");
      const reader = r.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
      }
      rec.get.ended = "server closed the stream";
    } catch (e) {
      rec.get.ended = ac.signal.aborted ? `aborted by observer after ${opts.timeoutMs ?? 30_000} ms` : String(e);
    }
    clearTimeout(timer);
    rec.get.elapsed_ms = Date.now() - t0;
    const raw = Buffer.concat(chunks);
    writeFileSync(join(inputDir, "calls", `${caseName}.sse`), raw);
    rec.get.sse_file = `${caseName}.sse`;
    rec.get.events = eventsOf(raw.toString("utf8"));
    rec.sse_text = raw.toString("utf8");
  }
  writeFileSync(join(evidenceDir, "calls", `${caseName}.json`), JSON.stringify(rec, null, 2) + "\n");
  summary.push({
    case: caseName,
    post: rec.post?.status ?? null,
    get: rec.get?.status ?? null,
    events: rec.get?.events ?? [],
    ended: rec.get?.ended ?? null,
  });
  return rec;
}

/** Last `data:` payload of the stream, parsed. */
function lastData(rec) {
  const m = [...(rec.sse_text ?? "").matchAll(/^data: ?(.*)$/gm)];
  if (!m.length) return undefined;
  try {
    return JSON.parse(m[m.length - 1][1]);
  } catch {
    return m[m.length - 1][1];
  }
}

/** Download every FileData url found in a value; record status, type and a hash. */
async function downloads(caseName, value) {
  const found = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if (typeof v.path === "string" && "url" in v) found.push(v);
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  const out = [];
  for (const f of found) {
    const entry = { path: f.path, url: f.url, via_url: null, via_file_route: null };
    const targets = { via_url: f.url, via_file_route: `${root}${prefix}/file=${f.path}` };
    for (const [k, target] of Object.entries(targets)) {
      if (!target) continue;
      try {
        const r = await fetch(target);
        const b = Buffer.from(await r.arrayBuffer());
        entry[k] = {
          fetched: target.replace(root, "{root}"),
          status: r.status,
          content_type: r.headers.get("content-type"),
          length: b.length,
          sha256: sha256(b),
          head: b.subarray(0, 48).toString("latin1"),
        };
      } catch (e) {
        entry[k] = { fetched: target, error: String(e) };
      }
    }
    out.push(entry);
  }
  writeFileSync(join(evidenceDir, "calls", `${caseName}.downloads.json`), JSON.stringify(out, null, 2) + "\n");
}

// ---------------------------------------------------------------- per-app plans
const PLANS = {
  async basic() {
    await call("echo_all", "echo_all", ["héllo 🌍", 7, 2.5, true]);
    await call("types_of", "types_of", ["t", 3, 1.5, false]);
    await call("types_of-float-to-int", "types_of", ["t", 3.7, 1, false], { note: "3.7 sent to a precision=0 Number" });
    await call("scale", "scale", [2.5, 3]);
    await call("choices", "choices", ["green", "b", ["x", "z"], 2, "not-in-choices", ["one", "three"]]);
    await call("choices-invalid", "choices", ["purple", "b", [], 1, "k", []], { note: "Radio value not in choices" });
    await call("json_roundtrip", "json_roundtrip", [{ b: [1, 2], a: { ü: null } }]);
    await call("json_roundtrip-list", "json_roundtrip", [[1, "two", null]]);
    await call("with_defaults", "with_defaults", ["x", 1, 2, false, "p"]);
    await call("with_defaults-nulls", "with_defaults", [null, null, null, null, null], { note: "null for every input" });
    await call("unicode_labels", "unicode_labels", ["名前🎉"]);
    await call("ping", "ping", []);
    await call("sink", "sink", ["sunk-value"]);
    await call("last_sink", "last_sink", []);
    for (const n of ["lambda", "lambda_1", "shout", "shout_1", "dup", "dup_1", "kebab-name"]) {
      await call(`name-${n}`, n, ["abc"]);
    }
    await call("hidden-api-name-false", "lambda_2", ["abc"], { note: "api_name=False event, guessed name" });
    await call("raise_gr_error", "raise_gr_error", ["boom"]);
    await call("raise_gr_error-ok", "raise_gr_error", [""]);
    await call("raise_plain", "raise_plain", ["boom"]);
    await call("too-short-data", "echo_all", ["only one"], { raw: true, note: "1 of 4 inputs" });
    await call("empty-data", "echo_all", [], { raw: true, note: "data: []" });
    await call("too-long-data", "echo_all", ["a", 1, 1.5, true, "extra", 99], { raw: true });
    await call("wrong-types", "echo_all", [{ not: "text" }, "seven", "x", "maybe"], { raw: true });
    await call("unknown-api-name", "no_such_endpoint", ["x"], { raw: true });
    await call("data-missing", "echo_all", null, { body: { nodata: true } });
    await call("data-not-list", "echo_all", null, { body: { data: { text: "x" } } });
    await call("body-not-json", "echo_all", null, { body: "not json" });
    await call("unknown-event-id", "echo_all", null, {
      eventId: randomBytes(16).toString("hex"),
      timeoutMs: 20_000,
      note: "GET with an event id that was never issued",
    });
    if (cmpVersion(version, "6.13.0") >= 0) {
      await call("v2-echo_all", "echo_all", null, { v2: true, body: { text: "kw", n: 1, x: 0.5, flag: true } });
      await call("v2-missing-arg", "echo_all", null, { v2: true, body: { text: "kw" } });
    }
    // the same event id read twice
    const first = await call("reread-1", "echo_all", ["again", 1, 1, false]);
    const id = JSON.parse(first.post.body).event_id;
    await call("reread-2", "echo_all", null, { eventId: id, timeoutMs: 20_000, note: "second GET of a finished event (heartbeats?)" });
  },

  async media() {
    let r = await call("flip_image", "flip_image", [await file("red-green-blue.png")]);
    await downloads("flip_image", lastData(r));
    await call("flip_image-data-url", "flip_image", [{ url: "data:image/png;base64," + PNG_3x2.toString("base64"), meta: { _type: "gradio.FileData" } }]);
    await call("flip_image-no-meta", "flip_image", [{ path: (await file("red-green-blue.png")).path }], { note: "FileData without meta" });
    await call("image_path_info", "image_path_info", [await file("red-green-blue.png")]);
    await call("image-not-uploaded", "image_path_info", [{ path: "/etc/hostname", meta: { _type: "gradio.FileData" } }], { note: "path not from /upload" });
    r = await call("reverse_audio", "reverse_audio", [await file("ramp.wav")]);
    await downloads("reverse_audio", lastData(r));
    r = await call("tone", "tone", [440, 0.01]);
    await downloads("tone", lastData(r));
    r = await call("video_passthrough", "video_passthrough", [await videoValue()]);
    await downloads("video_passthrough", lastData(r));
    r = await call("file_digest", "file_digest", [await file("hello.txt")]);
    await downloads("file_digest", lastData(r));
    await call("file_digest-no-meta", "file_digest", [{ path: (await file("hello.txt")).path }], { note: "FileData without meta" });
    await call("file_digest-url-only", "file_digest", [{ url: (await file("hello.txt")).path, meta: { _type: "gradio.FileData" } }], { note: "no path" });
    r = await call("files_reverse", "files_reverse", [[await file("hello.txt"), await file("triangle.obj")]]);
    await downloads("files_reverse", lastData(r));
    await call("files_reverse-empty", "files_reverse", [[]]);
    r = await call("model3d_scale", "model3d_scale", [await file("triangle.obj"), 3]);
    await downloads("model3d_scale", lastData(r));
    r = await call("gallery_make", "gallery_make", [2, 3]);
    await downloads("gallery_make", lastData(r));
    r = await call("gallery_reverse", "gallery_reverse", [
      [
        { image: await file("red-green-blue.png"), caption: "first" },
        { image: await file("blue.png"), caption: null },
      ],
    ]);
    await downloads("gallery_reverse", lastData(r));
    r = await call("annotate", "annotate", [await file("red-green-blue.png")]);
    await downloads("annotate", lastData(r));
    await call("classify", "classify", ["aab"]);
    await call("table_sum", "table_sum", [
      {
        headers: ["name", "a", "b"],
        data: [
          ["r1", 1, 2],
          ["r2", 3, 4.5],
        ],
      },
    ]);
  },

  async chat() {
    // 6.x: message content is a list of typed parts; 4.x/5.x: a string (or {file} / {path})
    const six = cmpVersion(version, "6.0.0") >= 0;
    const msg = (role, text) => ({ role, content: six ? [{ type: "text", text }] : text });
    await call("respond-text", "respond", [{ text: "hello", files: [] }, []]);
    await call("respond-file", "respond", [{ text: "with file", files: [await file("hello.txt")] }, [msg("user", "earlier"), msg("assistant", "ok")]]);
    await call("last_reply", "last_reply", [[msg("user", "q"), msg("assistant", "the answer")]]);
    await call(
      "last_reply-string-content",
      "last_reply",
      [
        [
          { role: "user", content: "q" },
          { role: "assistant", content: "the answer" },
        ],
      ],
      { note: "content as a plain string" },
    );
    await call("last_reply-tuples", "last_reply", [[["q", "the answer"]]], { note: "tuples format [[user, bot]]" });
    const chatName = Object.keys(info.named_endpoints)
      .find((k) => !["/respond", "/last_reply"].includes(k))
      ?.slice(1);
    await call("chatinterface", chatName, ["hello", "pre: "], { note: `ChatInterface endpoint is /${chatName}` });
    await call("chatinterface-raw-short", chatName, ["hello", "pre: "], { raw: true, note: "without the State slot" });
  },

  async stateful() {
    const sess = "spacegen" + randomBytes(6).toString("hex");
    await call("accumulate", "accumulate", ["t", 5]);
    await call("accumulate-short", "accumulate", ["t", 5], { raw: true, note: "2 values for 3 input slots (State omitted)" });
    await call("read_state", "read_state", ["total"]);
    await call("reset_state", "reset_state", [9]);
    await call("count_up", "count_up", [3, "n"]);
    await call("count_then_fail", "count_then_fail", [2]);
    await call("slow", "slow", [0.5, "tag"]);
    // fill the queue: concurrency 1, max_size from config
    const posts = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`${root}${prefix}/call/slow`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ data: [1.5, "q"] }),
        }).then(async (r) => ({ status: r.status, body: await r.text() })),
      ),
    );
    writeFileSync(
      join(evidenceDir, "calls", "queue-full.json"),
      JSON.stringify({ note: "6 concurrent POST /call/slow (1.5 s each) with queue(max_size=2, default_concurrency_limit=1)", posts }, null, 2) + "\n",
    );
    summary.push({ case: "queue-full", post: posts.map((p) => p.status) });
    await sleep(7000); // let the queued ones finish
    // session_hash last: on some versions the GET fails and the event stays queued
    await call("accumulate-session-1", "accumulate", ["s", 2], { extra: { session_hash: sess }, timeoutMs: 15_000 });
    await call("accumulate-session-2", "accumulate", ["s", 3], {
      extra: { session_hash: sess },
      timeoutMs: 15_000,
      note: "same session_hash: total should be 5 if state is kept",
    });
    await sleep(3000);
    const qs = await getJson(`${prefix}/queue/status`);
    writeFileSync(
      join(evidenceDir, "calls", "queue-status-after-session-calls.json"),
      JSON.stringify({ status: qs.status, body: qs.json ?? qs.text }, null, 2) + "\n",
    );
    await call("after-session-calls", "read_state", ["still-served?"], { timeoutMs: 15_000, note: "plain call after the session_hash calls" });
  },

  async api() {
    const names = Object.keys(info.named_endpoints);
    const calc = names.find((k) => k === "/predict" || k === "/calculator").slice(1);
    await call("interface-calculator", calc, [6, "multiply", 7], { note: `gr.Interface default name /${calc}` });
    await call("version_tag", "version_tag", ["v"]);
    if (names.includes("/typed_add")) {
      await call("typed_add", "typed_add", [2, 0.25]);
      await call("typed_add-default-omitted", "typed_add", [2], { raw: true });
      await call("typed_mix", "typed_mix", [["Ab", "cD"], "lower", "-", { x: 1.5, y: 2 }]);
      await call("typed_pair", "typed_pair", [21, true]);
    }
  },

  async errors_hidden() {
    await call("raise_gr_error", "raise_gr_error", ["boom"]);
    await call("raise_plain", "raise_plain", ["boom"]);
    await call("count_then_plain", "count_then_plain", [2]);
  },
};

async function videoValue() {
  const f = await file("fake.mp4");
  // 5.x Video input is {video: FileData, subtitles}; 4.x and 6.x take a FileData
  const p = info.named_endpoints["/video_passthrough"]?.parameters?.[0]?.type;
  const isVideoData = JSON.stringify(p ?? {}).includes('"subtitles"');
  return isVideoData ? { video: f, subtitles: null } : f;
}

function cmpVersion(a, b) {
  const pa = a.split(".").map(Number),
    pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

// ---------------------------------------------------------------- main
let info;
const cfg = await getJson("/config");
if (cfg.status !== 200) throw new Error(`/config: ${cfg.status}`);
config = cfg.json;
version = config.version;
prefix = config.api_prefix ?? "";
inputDir = join(goldensRoot, version, appName);
evidenceDir = join(evidenceRoot, version, appName);
mkdirSync(join(inputDir, "calls"), { recursive: true });
mkdirSync(join(evidenceDir, "calls"), { recursive: true });
const pretty = (j) => JSON.stringify(j, null, 2) + "\n";
writeFileSync(join(inputDir, "config.json"), pretty(config));
const inf = await getJson(`${prefix}/info`);
info = inf.json;
writeFileSync(join(inputDir, "info.json"), pretty(info));
const infAll = await getJson(`${prefix}/info?all_endpoints=true`);
writeFileSync(join(evidenceDir, "info-all.json"), infAll.json ? pretty(infAll.json) : infAll.text);
const probes = {};
for (const p of ["/info", "/gradio_api/info", "/gradio_api/openapi.json", `${prefix}/queue/status`, `${prefix}/app_id`]) {
  const r = await getJson(p);
  probes[p] = { status: r.status, body_start: r.text.slice(0, 200) };
}
writeFileSync(join(evidenceDir, "probes.json"), pretty(probes));

const plan = PLANS[appName];
if (!plan) throw new Error(`no plan for app ${appName}`);
await plan();
writeFileSync(join(evidenceDir, "summary.json"), pretty(summary));
console.log(`observed gradio ${version} ${appName}: ${summary.length} cases → ${inputDir} (inputs), ${evidenceDir} (evidence)`);
