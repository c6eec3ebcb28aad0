// One job, in memory: its source loaded (its file or document, the snapshot beside its module with --offline,
// or the live app), its module generated, its outputs laid out; then, once the run allows it, written.

import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { BuiltOutputs } from "../check/compare.js";
import { generateModule, type Generated } from "../emit/generate.js";
import { SPACE_ID_PATTERN } from "../load/hub.js";
import { loadLive } from "../load/live.js";
import { appRoot, isUrl, loadFromFile, readDocument } from "../load/load.js";
import type { Snapshot } from "../load/snapshot.js";
import { displayPath as display, moduleName, outputPaths, sourceModuleName, type OutputPaths, type PlannedJob } from "../output/paths.js";
import { fileError, writeFiles } from "../output/write.js";
import { UserError } from "../shared/errors.js";
import type { TerminalStatus } from "../shared/status.js";
import { sourceName, type Job, type RunContext } from "./job.js";

type SourceKind = "document" | "file" | "url" | "space";

function sourceKind(job: Job): SourceKind {
  const { source } = job;
  if (job.document) return "document";
  if (isUrl(source)) return "url";
  if (existsSync(source) && statSync(source).isFile()) return "file";
  if (SPACE_ID_PATTERN.test(source) && !/\.json$/i.test(source)) return "space";
  throw new UserError(`${source}: not a file, an http(s) URL, or a Space id like "namespace/repo"`);
}

/** A loaded source: the snapshot, and the file it came from (a snapshot file may be regenerated in place). */
export interface Loaded {
  snapshot: Snapshot;
  file: { path: string; snapshot: boolean } | null;
}

/** How a job reaches its source, and where it reports. */
export interface LoadContext extends Pick<RunContext, "offline" | "live"> {
  warn: (message: string) => void;
  /** where a wait for a Space is shown */
  progress: TerminalStatus;
}

/** A job's snapshot: from its file or document, from the snapshot beside its module (--offline), or from the live app. */
export async function loadSource(job: Job, context: LoadContext): Promise<Loaded> {
  const { source } = job;
  const kind = sourceKind(job);
  const common = { allEndpoints: job.allEndpoints, warn: context.warn, ...(job.name ? { name: job.name } : {}) };
  const withUrl = { ...common, ...(job.url ? { url: job.url } : {}) };
  if (kind === "document") {
    // Stdin, or the API's document: a raw /info has no file name, so its module is "app" unless --name says.
    return { snapshot: readDocument(job.document!, sourceName(job), "app", withUrl).snapshot, file: null };
  }
  if (kind === "file") {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(source);
    } catch (error) {
      throw fileError("read", source, error);
    }
    const read = readDocument(bytes, source, basename(source).replace(/\.schema\.json$|\.json$/i, ""), withUrl);
    return { snapshot: read.snapshot, file: { path: source, snapshot: read.wasSnapshot } };
  }
  if (context.offline) {
    // Offline: the snapshot beside the module stands in for the app.
    const path = outputPaths(job, sourceModuleName(source, job.name) ?? source).snapshot;
    if (path === null) throw new UserError(`${source}: --offline regenerates from a snapshot, and -o ${job.out} keeps none; pass --snapshot <path>`);
    if (!existsSync(path)) throw new UserError(`${source}: --offline needs the snapshot ${display(path)}, which does not exist; generate it once online`);
    return { snapshot: await loadFromFile(path, common), file: { path, snapshot: true } };
  }
  // Hub resolution, Space status, token scoping and Gradio login: load/live.ts.
  const snapshot = await loadLive(source, { ...common, live: context.live, progress: context.progress });
  // `url`: read the API here, but call the app there (a local copy of a Space, a proxy).
  if (job.url) snapshot.source.url = appRoot(job.url);
  return { snapshot, file: null };
}

/** The command written into a module's banner, to regenerate it. */
function regenerateCommand(job: Job, snapshot: Snapshot, paths: OutputPaths): string {
  if (job.regenerate) return job.regenerate;
  const out = paths.module === null ? "-" : display(paths.module);
  const rawInfo = snapshot.config === null && snapshot.apiPrefix === null;
  // A raw /info is regenerated from its snapshot (which records the URL), when one is kept.
  const fromSnapshot = rawInfo && paths.snapshot !== null;
  const source =
    snapshot.source.space ?? (fromSnapshot ? display(paths.snapshot!) : rawInfo ? job.source : isUrl(job.source) ? appRoot(job.source) : snapshot.source.url);
  const flags = [
    job.snapshot !== undefined && paths.snapshot ? ` --snapshot ${display(paths.snapshot)}` : "",
    job.js ? " --js" : "",
    job.url && !fromSnapshot ? ` --url ${snapshot.source.url}` : "",
  ];
  return `npx spacegen ${source} -o ${out}${flags.join("")}`;
}

export interface Built extends BuiltOutputs {
  job: Job;
  loaded: Loaded;
  generated: Generated;
}

/** Loads and generates one job's outputs, in memory. */
export async function buildJob(job: Job, context: LoadContext): Promise<Built> {
  const loaded = await loadSource(job, context);
  const { snapshot } = loaded;
  const paths = outputPaths(job, moduleName(job.name, snapshot));
  const generated = await generateModule(snapshot, { allEndpoints: job.allEndpoints, regenerate: regenerateCommand(job, snapshot, paths) });
  for (const warning of generated.ir.warnings) context.warn(warning);
  const outputs: Built["outputs"] = paths.snapshot ? [{ path: paths.snapshot, content: generated.snapshotText }] : [];
  if (job.js) {
    // output/javascript.ts loads the TypeScript compiler (~0.7 s of CPU): imported only by --js.
    const { compileToJs } = await import("../output/javascript.js");
    const compiled = await compileToJs(generated.code, { commonJs: paths.commonJs });
    outputs.push({ path: paths.declarations, content: compiled.dts }, { path: paths.module, content: compiled.js });
  } else outputs.push({ path: paths.module, content: generated.code });
  return { job, loaded, generated, paths, outputs, regenerate: (old) => regenerateCommand(job, old, paths) };
}

/** What the checks before writing need to know about a built job. */
export function planOf(built: Built): PlannedJob {
  return { label: built.job.label ?? sourceName(built.job), paths: built.paths, source: built.loaded.file, within: built.job.within ?? null };
}

/** The job's name on the status line: its module's name when the source implies it. */
export const jobLabel = (job: Job) => sourceModuleName(job.source, job.name) ?? display(job.source);

/** Writes a built job's outputs: files as one group (output/write.ts), then a module bound for stdout. */
export async function writeBuilt(built: Built, writeStdout: (text: string) => Promise<void>): Promise<void> {
  const inPlace = built.paths.inPlace ? built.paths.module : null;
  await writeFiles(built.outputs.filter((o) => o.path !== null).map((o) => ({ path: o.path!, content: o.content, inPlace: o.path === inPlace })));
  const toStdout = built.outputs.find((o) => o.path === null);
  if (toStdout) await writeStdout(toStdout.content);
}
