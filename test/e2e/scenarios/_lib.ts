// Shared by every e2e scenario. Runs unchanged in Node, Bun, Deno and a browser page, so it uses only
// fetch, Blob/File, TextEncoder, crypto.subtle, AbortController and timers (no node: modules, no DOM).
// Type-checked with the scenarios under both strict configurations of the contract.

export interface CheckResult {
  /** what was checked */
  name: string;
  /** the api_names this check called through the typed functions */
  endpoints: string[];
  ok: boolean;
  /** set when the check was not run: why (a Gradio version without this feature, ...) */
  skipped?: string;
  error?: string;
  ms: number;
}

export interface ScenarioReport {
  runtime: string;
  gradioVersion: string;
  /** every api_name of the generated module(s) */
  endpoints: string[];
  results: CheckResult[];
}

/** The runner a scenario records its checks with. */
export class T {
  readonly results: CheckResult[] = [];
  readonly runtime: string;
  /** the Gradio version the module was generated from (typed as string, so branching type-checks) */
  readonly version: string;
  /** the transport every call is forced through (SPACEGEN_E2E_TRANSPORT), or "default": each module's own */
  readonly transport: "call" | "queue" | "default";
  constructor(runtime: string, version: string, transport: "call" | "queue" | "default" = "default") {
    this.runtime = runtime;
    this.version = version;
    this.transport = transport;
  }
  get major(): number {
    return Number(this.version.split(".")[0]);
  }
  async check(endpoints: string | string[], name: string, fn: () => Promise<void>): Promise<void> {
    const started = Date.now();
    const eps = typeof endpoints === "string" ? [endpoints] : endpoints;
    try {
      await fn();
      this.results.push({ name, endpoints: eps, ok: true, ms: Date.now() - started });
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.results.push({ name, endpoints: eps, ok: false, error, ms: Date.now() - started });
    }
  }
  /** Records that an endpoint is deliberately not exercised, and why. */
  skip(endpoints: string | string[], name: string, reason: string): void {
    const eps = typeof endpoints === "string" ? [endpoints] : endpoints;
    this.results.push({ name, endpoints: eps, ok: true, skipped: reason, ms: 0 });
  }
}

const show = (v: unknown): string => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};

/** Deep equality on JSON values (key order ignored). */
export function eq(actual: unknown, expected: unknown, what = "value"): void {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  const a = show(canon(actual));
  const b = show(canon(expected));
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}

export function ok(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export function near(actual: number, expected: number, tolerance: number, what = "number"): void {
  if (!(Math.abs(actual - expected) <= tolerance)) throw new Error(`${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

/** The shape every module's SpaceError has. */
export interface SpaceErrorLike extends Error {
  readonly kind: string;
  readonly endpoint?: string;
  readonly status?: number;
}

/**
 * Awaits a call that must fail with a SpaceError of `kind` (an instance of the module's own class).
 */
export async function rejectsWith<E extends SpaceErrorLike>(
  cls: abstract new (...args: never[]) => E,
  p: Promise<unknown> | (() => Promise<unknown>),
  kind: string,
): Promise<E> {
  let value: unknown;
  try {
    value = await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (!(e instanceof cls))
      throw new Error(`expected a SpaceError (${kind}), got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    if (e.kind !== kind) throw new Error(`expected kind ${kind}, got ${e.kind}: ${e.message}`, { cause: e });
    return e;
  }
  throw new Error(`expected a SpaceError (${kind}), but the call resolved with ${show(value)}`);
}

/** An output slot's value; fails the check when the app sent null (a cleared component) or a component update. */
export function value<V>(v: V): Exclude<V, null | { __type__: "update" }> {
  ok(v !== null && !(typeof v === "object" && (v as { __type__?: unknown }).__type__ === "update"), `a value, got ${JSON.stringify(v)}`);
  return v as Exclude<V, null | { __type__: "update" }>;
}

/** A File output's one file (Gradio sends one FileData or a list whatever file_count says). */
export function one<F>(v: F | F[]): F {
  ok(!Array.isArray(v), `one file, got a list of ${Array.isArray(v) ? v.length : 0}`);
  return v as F;
}

/** A File output's list of files. */
export function several<F>(v: F | F[]): F[] {
  ok(Array.isArray(v), "a list of files");
  return v;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Bytes as an ArrayBuffer (what Blob parts and crypto.subtle accept under every lib). */
const ab = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/** A real File (Node >= 20, Bun, Deno and browsers all have the global). */
export function file(bytes: Uint8Array, name: string, type = "application/octet-stream"): File {
  return new File([bytes.slice()], name, { type });
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", ab(bytes)));
  return Array.from(d, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Downloads a file output by its `url` (what a user of the bindings does). */
export async function download(f: { url?: string | null; path: string }): Promise<Uint8Array> {
  ok(typeof f.url === "string" && /^https?:\/\//.test(f.url), `file output without an absolute url: ${show(f)}`);
  const r = await fetch(f.url);
  if (!r.ok) throw new Error(`GET ${f.url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export const reversed = (b: Uint8Array): Uint8Array => b.slice().reverse();

export function bytesEq(a: Uint8Array, b: Uint8Array, what = "bytes"): void {
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) throw new Error(`${what}: ${a.length} bytes differ from the expected ${b.length} bytes`);
}

// ---- tiny media encoders/decoders (stdlib-free) ------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const cat = (parts: (Uint8Array | number[])[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** An RGB PNG (stored deflate blocks, so no compressor is needed); pixel(x, y) → [r, g, b]. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(0);
    for (let x = 0; x < width; x++) raw.push(...pixel(x, y));
  }
  let a = 1,
    b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const blocks: number[] = [];
  for (let i = 0; i < raw.length || i === 0; i += 65535) {
    const part = raw.slice(i, i + 65535);
    const last = i + 65535 >= raw.length ? 1 : 0;
    blocks.push(last, part.length & 255, part.length >> 8, ~part.length & 255, (~part.length >> 8) & 255, ...part);
  }
  const zdata = new Uint8Array([0x78, 0x01, ...blocks, ...be32(((b << 16) | a) >>> 0)]);
  const chunk = (tag: string, data: Uint8Array) => {
    const td = cat([utf8(tag), data]);
    return cat([be32(data.length), td, be32(crc32(td))]);
  };
  const ihdr = new Uint8Array([...be32(width), ...be32(height), 8, 2, 0, 0, 0]);
  return cat([[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk("IHDR", ihdr), chunk("IDAT", zdata), chunk("IEND", new Uint8Array())]);
}

/** Mono 16-bit PCM WAV. */
export function wav(samples: number[], rate = 8000): Uint8Array {
  const data = new Uint8Array(samples.length * 2);
  const dv = new DataView(data.buffer);
  samples.forEach((s, i) => dv.setInt16(i * 2, s, true));
  const h = new DataView(new ArrayBuffer(44));
  const w4 = (o: number, s: string) => [...s].forEach((c, i) => h.setUint8(o + i, c.charCodeAt(0)));
  w4(0, "RIFF");
  h.setUint32(4, 36 + data.length, true);
  w4(8, "WAVE");
  w4(12, "fmt ");
  h.setUint32(16, 16, true);
  h.setUint16(20, 1, true);
  h.setUint16(22, 1, true);
  h.setUint32(24, rate, true);
  h.setUint32(28, rate * 2, true);
  h.setUint16(32, 2, true);
  h.setUint16(34, 16, true);
  w4(36, "data");
  h.setUint32(40, data.length, true);
  return cat([new Uint8Array(h.buffer), data]);
}

/** Reads a PCM16 WAV: sample rate, channels and samples (first channel interleaved as is). */
export function readWav(bytes: Uint8Array): { rate: number; channels: number; samples: number[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(...bytes.slice(o, o + 4));
  ok(tag(0) === "RIFF" && tag(8) === "WAVE", "not a WAV file");
  let rate = 0,
    channels = 0;
  for (let o = 12; o + 8 <= bytes.length;) {
    const id = tag(o),
      size = dv.getUint32(o + 4, true);
    if (id === "fmt ") {
      channels = dv.getUint16(o + 10, true);
      rate = dv.getUint32(o + 12, true);
    } else if (id === "data") {
      const samples: number[] = [];
      for (let i = 0; i + 1 < size && o + 8 + i + 1 < bytes.length; i += 2) samples.push(dv.getInt16(o + 8 + i, true));
      return { rate, channels, samples };
    }
    o += 8 + size + (size & 1);
  }
  throw new Error("WAV without a data chunk");
}

export const isWebp = (b: Uint8Array) => text(b.slice(0, 4)) === "RIFF" && text(b.slice(8, 12)) === "WEBP";
export const isPng = (b: Uint8Array) => b[0] === 0x89 && text(b.slice(1, 4)) === "PNG";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A short random tag, so runtimes sharing one app never see each other's values. */
export const tag = (): string => Math.random().toString(36).slice(2, 8);
