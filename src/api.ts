// The programmatic API, the package's "." export, for build scripts: generation and --check as two
// functions, through the same pipeline as the command line (src/run/). Nothing is printed: warnings are
// returned (and passed to `onWarning`), and failures the caller can act on reject with `UserError`, whose
// message is one line. Relative paths are resolved against the working folder. Like the command line, it
// loads the TypeScript compiler only for `js` and `check` (and names that are not ASCII).
//
//   import { generate, check } from "spacegen";
//   const { module } = await generate("gradio/hello_world", { out: "src/spaces/hello.ts", write: true });
//   const report = await check("gradio/hello_world", { out: "src/spaces/hello.ts" });
//   if (!report.upToDate) console.log(report.changes);

import { UserError } from "./shared/errors.js";
import { closeHttp } from "./load/http.js";
import { namesJavaScript, parseTarget, planProblems, STDIO } from "./output/paths.js";
import { checkBuilt } from "./check/compare.js";
import { buildJob, planOf, writeBuilt, type Built } from "./run/build.js";
import { writeProcessStdout, type Job } from "./run/job.js";
import { TerminalStatus } from "./shared/status.js";

export { UserError };

/**
 * What to generate from: a Space id (`namespace/repo`), an app URL, or a path to a snapshot or raw /info
 * file, as on the command line; or a document itself (a snapshot or a raw /info, as text, bytes or a parsed
 * value).
 */
export type Source = string | { document: string | Uint8Array | object };

export interface GenerateOptions {
  /** a folder (default `generated`), or the exact module file: `.ts` `.mts` `.cts`, or `.js` `.mjs` `.cjs` for JavaScript */
  out?: string;
  /** the module name for a URL or document source (`<out>/<name>.ts`); a raw /info document is otherwise "app" */
  name?: string;
  /** the URL the module calls, when not where the API is read (a raw /info, a local copy of a Space) */
  url?: string;
  /** where the snapshot goes (default: beside the module, `<module>.schema.json`) */
  snapshot?: string;
  /** include endpoints the app leaves undocumented */
  allEndpoints?: boolean;
  /** JavaScript and declarations (`.js` + `.d.ts`) instead of TypeScript; implied by a `.js`/`.mjs`/`.cjs` `out` */
  js?: boolean;
  /** regenerate from the snapshot beside the output instead of the network */
  offline?: boolean;
  /** Hugging Face token (default: `HF_TOKEN`, which goes only to the Hub and Spaces); sent to the Hub and, as X-HF-Authorization, to the app (https or loopback) */
  token?: string;
  /** `user:password` for a Gradio app launched with `auth=` (default: `SPACEGEN_AUTH`) */
  auth?: string;
  /** how long to wait for a Space that is building, starting or asleep (default 300) */
  waitSeconds?: number;
  /** write the files (default: only return them) */
  write?: boolean;
  onWarning?: (message: string) => void;
  /** a Space's progress while it is waited for */
  onProgress?: (message: string) => void;
}

export type CheckOptions = Omit<GenerateOptions, "write">;

export interface OutputFile {
  /** absolute */
  path: string;
  text: string;
}

export interface GenerateResult {
  /** the module: TypeScript, or with `js` the JavaScript */
  module: OutputFile;
  /** with `js`, the declarations (`.d.ts`, `.d.mts` or `.d.cts`); else null */
  declarations: OutputFile | null;
  /** the snapshot, which regenerates the same module offline */
  snapshot: OutputFile;
  /** the endpoints' api names (`"/predict"`), in the module's order */
  endpoints: string[];
  warnings: string[];
  /** whether the files were written (`write: true`) */
  written: boolean;
}

export interface DriftChange {
  kind: "breaking" | "additive" | "changed";
  /** the endpoint's api name, or null for the whole module */
  endpoint: string | null;
  message: string;
}

export interface CheckResult {
  /** every output is what generation would write now (the command line's exit code 0; else 1) */
  upToDate: boolean;
  /** the module's path */
  module: string;
  /** the files that would change, with unified diffs */
  diffs: { file: string; diff: string }[];
  /** what changed in the API, endpoint by endpoint */
  changes: DriftChange[];
  /** a sentence when no per-endpoint summary could be made, or the API itself did not change */
  note: string | null;
  warnings: string[];
}

function jobOf(source: Source, options: CheckOptions): Job {
  const out = options.out ?? "generated";
  if (parseTarget(out).kind === "stream") throw new UserError(`out ${JSON.stringify(out)} is a stream; the API returns the text, and writes files only`);
  let document: Uint8Array | undefined;
  if (typeof source !== "string") {
    const { document: given } = source;
    document = given instanceof Uint8Array ? given : new TextEncoder().encode(typeof given === "string" ? given : JSON.stringify(given));
  } else if (source === STDIO) throw new UserError('"-" (stdin) is for the command line; pass { document } instead');
  return {
    source: typeof source === "string" ? source : "document",
    out,
    js: options.js === true || namesJavaScript(out),
    allEndpoints: options.allEndpoints ?? false,
    ...(document ? { document } : {}),
    ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.url !== undefined ? { url: options.url } : {}),
  };
}

async function build(source: Source, options: CheckOptions, warnings: string[]): Promise<Built> {
  const job = jobOf(source, options);
  const token = options.token ?? process.env.HF_TOKEN;
  const auth = options.auth ?? process.env.SPACEGEN_AUTH;
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const progress = new TerminalStatus(null, (line) => options.onProgress?.(line.replace(/^spacegen: /, "")));
  const live = {
    token: token || undefined,
    // an ambient HF_TOKEN reaches fewer apps than a token passed in (credentials.ts)
    tokenFrom: options.token !== undefined ? ("--token" as const) : ("HF_TOKEN" as const),
    auth: auth || undefined,
    authFrom: options.auth !== undefined ? "the auth option" : "SPACEGEN_AUTH",
    waitSeconds: options.waitSeconds,
  };
  try {
    return await buildJob(job, { offline: options.offline === true, live, warn, progress });
  } finally {
    // Lets a build script's process exit as soon as it is done (undici keeps idle connections open).
    await closeHttp();
  }
}

/** Generates one module: its text, its declarations with `js`, its snapshot; written too with `write: true`. */
export async function generate(source: Source, options: GenerateOptions = {}): Promise<GenerateResult> {
  const warnings: string[] = [];
  const built = await build(source, options, warnings);
  const { paths, outputs, generated } = built;
  const text = (path: string | null) => outputs.find((o) => o.path === path)!.content;
  if (options.write) {
    const problems = planProblems([planOf(built)]);
    if (problems.length > 0) throw new UserError(`${problems.join("; ")}; nothing was written`);
    await writeBuilt(built, writeProcessStdout);
  }
  return {
    module: { path: paths.module!, text: text(paths.module) },
    declarations: paths.declarations ? { path: paths.declarations, text: text(paths.declarations) } : null,
    snapshot: { path: paths.snapshot!, text: generated.snapshotText },
    endpoints: generated.ir.endpoints.map((e) => e.apiName),
    warnings,
    written: options.write === true,
  };
}

/** Compares what generation would write now with the files on disk (as `spacegen --check`); writes nothing. */
export async function check(source: Source, options: CheckOptions = {}): Promise<CheckResult> {
  const warnings: string[] = [];
  const built = await build(source, options, warnings);
  const problems = planProblems([planOf(built)]);
  if (problems.length > 0) throw new UserError(problems.join("; "));
  const report = await checkBuilt(built, (message) => {
    warnings.push(message);
    options.onWarning?.(message);
  });
  return {
    upToDate: report.diffs.length === 0,
    module: built.paths.module!,
    diffs: report.diffs.map(({ file, diff }) => ({ file, diff })),
    changes: report.changes.map(({ kind, endpoint, message }) => ({ kind, endpoint, message })),
    note: report.note,
    warnings,
  };
}
