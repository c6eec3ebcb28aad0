// Orchestration: jobs (one module each, from the command line, spacegen.config.json or the API) run with a
// bounded concurrency; each loads its source (or its snapshot with --offline) and generates, and with
// --check compares its outputs and explains the API drift. Only when every job is done, and their outputs
// are known not to collide, overwrite a source or leave a config's folder, is anything written. Reports
// print in job order, whatever order the jobs finish in.

import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
// drift.ts and js.ts load the TypeScript compiler (~0.7 s of CPU): imported only by --check and --js.
import type { Change, ChangeKind } from "../check/drift.js";
import type { TokenSource } from "../load/credentials.js";
import { diffTexts, formatPatch, type FilePatch } from "../check/diff.js";
import { oneLine, UserError } from "../shared/errors.js";
import { generateModule, type Generated } from "../emit/generate.js";
import { Progress, SPACE_ID_PATTERN } from "../load/hub.js";
import { appRoot, isUrl, loadFromFile, nameFromUrl, readDocument } from "../load/load.js";
import { displayPath, moduleName, outputPaths, planProblems, type OutputPaths, type OutputRequest, type PlannedJob } from "../output/paths.js";
import type { Snapshot } from "../load/snapshot.js";
import { loadLive, spaceIdOf } from "../load/live.js";
import { inlineLine, inlineText, markdownCode, markdownText, style } from "../shared/terminal.js";
import { fileError, readIfExists, writeFiles } from "../output/write.js";

export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** raw text on stdout, for the module of `-o -` (default: process.stdout) */
  writeStdout?: (text: string) => Promise<void>;
  /** stdin's bytes, for the source "-" (default: process.stdin) */
  readStdin?: () => Promise<Uint8Array>;
}

/** One module to produce. */
export interface Job extends OutputRequest {
  /** a Space id, an app URL, a file, or "-" (stdin) */
  source: string;
  /** the document itself, for stdin ("-") or the API: a snapshot or a raw /info */
  document?: Uint8Array;
  name?: string;
  /** the URL the module calls, when not where its API was read */
  url?: string;
  allEndpoints: boolean;
  /** the command written into the banner; derived from the source when absent */
  regenerate?: string;
  /** names the job in messages about its outputs (default: its source) */
  label?: string;
  /** a config file's folder: the job's outputs must stay inside it */
  within?: string;
}

/** How to reach live sources (Hub token, Gradio login, how long to wait for a Space to start). */
export interface LiveSettings {
  token?: string;
  tokenFrom?: TokenSource;
  auth?: string;
  authFrom?: string;
  waitSeconds?: number;
}

export interface RunSettings {
  check: boolean;
  offline: boolean;
  quiet: boolean;
  format: "text" | "markdown";
  concurrency: number;
  /** colour diffs and summaries on stdout */
  color: boolean;
  /** the terminal for the one-line progress display, or null (not a TTY, quiet, markdown) */
  progressTty: NodeJS.WriteStream | null;
  live: LiveSettings;
  /** files no output may replace (the config file), with what to call them */
  protectedFiles?: { path: string; what: string }[];
}

const display = displayPath;

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

/** A job's snapshot: from its file or document, from the snapshot beside its module (--offline), or from the live app. */
export async function loadSource(job: Job, settings: Pick<RunSettings, "offline" | "live">, warn: (m: string) => void, progress: Progress): Promise<Loaded> {
  const { source } = job;
  const kind = sourceKind(job);
  const common = { allEndpoints: job.allEndpoints, warn, ...(job.name ? { name: job.name } : {}) };
  const withUrl = { ...common, ...(job.url ? { url: job.url } : {}) };
  if (kind === "document") {
    // Stdin, or the API's document: a raw /info has no file name, so its module is "app" unless --name says.
    const where = source === "-" ? "stdin" : source;
    return { snapshot: readDocument(job.document!, where, "app", withUrl).snapshot, file: null };
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
  if (settings.offline) {
    // Offline: the snapshot beside the module stands in for the app.
    const space = spaceIdOf(source);
    const name = space ?? job.name ?? (kind === "url" ? nameFromUrl(source) : source);
    const path = outputPaths(job, name).snapshot;
    if (path === null) throw new UserError(`${source}: --offline regenerates from a snapshot, and -o ${job.out} keeps none; pass --snapshot <path>`);
    if (!existsSync(path)) throw new UserError(`${source}: --offline needs the snapshot ${display(path)}, which does not exist; generate it once online`);
    return { snapshot: await loadFromFile(path, common), file: { path, snapshot: true } };
  }
  // Hub resolution, Space status, token scoping and Gradio login: src/sources.ts.
  const { live } = settings;
  const snapshot = await loadLive(source, {
    ...common,
    progress,
    ...(live.token ? { token: live.token, tokenFrom: live.tokenFrom ?? "HF_TOKEN" } : {}),
    ...(live.auth ? { auth: live.auth, authFrom: live.authFrom ?? "--auth" } : {}),
    ...(live.waitSeconds !== undefined ? { waitSeconds: live.waitSeconds } : {}),
  });
  // `url`: read the API here, but call the app there (a local copy of a Space, a proxy).
  if (job.url) snapshot.source.url = appRoot(job.url);
  return { snapshot, file: null };
}

/** A job's snapshot (for `inspect`, which loads as generation does). */
export async function loadSnapshot(job: Job, settings: Pick<RunSettings, "offline" | "live">, warn: (m: string) => void, progress: Progress): Promise<Snapshot> {
  return (await loadSource(job, settings, warn, progress)).snapshot;
}

function regenerateCommand(job: Job, snapshot: Snapshot, paths: OutputPaths): string {
  if (job.regenerate) return job.regenerate;
  const out = paths.module === null ? "-" : display(paths.module);
  const rawInfo = snapshot.config === null && snapshot.apiPrefix === null;
  // A raw /info is regenerated from its snapshot (which records the URL), when one is kept.
  const fromSnapshot = rawInfo && paths.snapshot !== null;
  const source = snapshot.source.space ?? (fromSnapshot ? display(paths.snapshot!) : rawInfo ? job.source : isUrl(job.source) ? appRoot(job.source) : snapshot.source.url);
  const flags = [
    job.snapshot !== undefined && paths.snapshot ? ` --snapshot ${display(paths.snapshot)}` : "",
    job.js ? " --js" : "",
    job.url && !fromSnapshot ? ` --url ${snapshot.source.url}` : "",
  ];
  return `npx spacegen ${source} -o ${out}${flags.join("")}`;
}

interface Output {
  /** null: stdout */
  path: string | null;
  content: string;
}

export interface Built {
  job: Job;
  loaded: Loaded;
  generated: Generated;
  paths: OutputPaths;
  /** in write order: the snapshot first, the module last */
  outputs: Output[];
}

/** Loads and generates one job's outputs, in memory. */
export async function buildJob(job: Job, settings: Pick<RunSettings, "offline" | "live">, warn: (m: string) => void, progress: Progress): Promise<Built> {
  const loaded = await loadSource(job, settings, warn, progress);
  const { snapshot } = loaded;
  const paths = outputPaths(job, moduleName(job.name, snapshot));
  const generated = await generateModule(snapshot, { allEndpoints: job.allEndpoints, regenerate: regenerateCommand(job, snapshot, paths) });
  for (const warning of generated.ir.warnings) warn(warning);
  const outputs: Output[] = paths.snapshot ? [{ path: paths.snapshot, content: generated.snapshotText }] : [];
  if (job.js) {
    const { compileToJs } = await import("../output/javascript.js");
    const compiled = await compileToJs(generated.code, { commonJs: paths.commonJs });
    outputs.push({ path: paths.declarations, content: compiled.dts }, { path: paths.module, content: compiled.js });
  } else outputs.push({ path: paths.module, content: generated.code });
  return { job, loaded, generated, paths, outputs };
}

/** What the checks before writing need to know about a built job. */
export function planOf(built: Built): PlannedJob {
  return { label: built.job.label ?? sourceName(built.job), paths: built.paths, source: built.loaded.file, within: built.job.within ?? null };
}

/** Writes a built job's outputs: files as one group (src/write.ts), then a module bound for stdout. */
export async function writeBuilt(built: Built, io: Pick<Io, "writeStdout">): Promise<void> {
  const inPlace = built.paths.inPlace ? built.paths.module : null;
  await writeFiles(built.outputs.filter((o) => o.path !== null).map((o) => ({ path: o.path!, content: o.content, inPlace: o.path === inPlace })));
  const toStdout = built.outputs.find((o) => o.path === null);
  if (toStdout) await (io.writeStdout ?? writeProcessStdout)(toStdout.content);
}

function writeProcessStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/** What --check found for one module. */
export interface CheckReport {
  module: string;
  /** files that differ, with their unified diffs (uncoloured) and the patch to print in colour */
  diffs: { file: string; diff: string; patch: FilePatch }[];
  changes: Change[];
  /** a sentence when no per-endpoint summary could be made, or the API itself did not change */
  note: string | null;
}

/** Compares a built job's outputs with the files on disk; writes nothing. */
export async function checkBuilt(built: Built, warn: (m: string) => void): Promise<CheckReport> {
  const { job, paths } = built;
  if (paths.module === null || paths.inPlace) throw new UserError(`--check compares files on disk, and -o ${job.out} writes none; pass the module's path`);
  const diffs: CheckReport["diffs"] = [];
  const current = new Map<string, string | null>();
  for (const output of built.outputs) {
    const text = await readIfExists(output.path!);
    current.set(output.path!, text);
    if (text === output.content) continue;
    const name = display(output.path!);
    const patch = diffTexts(text, output.content, `a/${name}`, `b/${name}`);
    diffs.push({ file: name, diff: formatPatch(patch), patch });
  }
  const report: CheckReport = { module: display(paths.module), diffs, changes: [], note: null };
  if (diffs.length === 0) return report;
  const snapshotFile = paths.snapshot;
  const oldText = snapshotFile === null ? null : current.get(snapshotFile);
  if (snapshotFile === null || oldText === null || oldText === undefined) {
    report.changes.push({ kind: "additive", endpoint: null, message: `new module (${built.generated.ir.endpoints.length} endpoints)` });
    return report;
  }
  if (oldText === built.generated.snapshotText) {
    report.note = "the app's API is unchanged; the module text differs (edited by hand, or generated by another spacegen version)";
    return report;
  }
  try {
    const old = await loadFromFile(snapshotFile, { allEndpoints: job.allEndpoints, warn: () => {} });
    const before = await generateModule(old, { allEndpoints: job.allEndpoints, regenerate: regenerateCommand(job, old, paths) });
    const { compareApis } = await import("../check/drift.js");
    report.changes = compareApis(before.ir, built.generated.ir, before.code, built.generated.code);
    if (report.changes.length === 0) report.note = "no change to the endpoints' signatures";
  } catch (error) {
    warn(`cannot compare with the old snapshot ${display(snapshotFile)}: ${oneLine(error)}`);
    report.note = `the old snapshot could not be read (${oneLine(error, 200)}); only the diff is shown`;
  }
  return report;
}

/** A failure as the line printed after "spacegen: error: ", naming the job's source. */
export function jobError(job: Job, error: unknown, io?: Io): string {
  if (!(error instanceof UserError) && process.env.SPACEGEN_DEBUG && error instanceof Error && error.stack) io?.stderr(error.stack);
  const message = error instanceof UserError ? oneLine(error) : `internal error: ${oneLine(error)} (please report it; SPACEGEN_DEBUG=1 shows the stack)`;
  return message.startsWith(sourceName(job)) ? message : `${sourceName(job)}: ${message}`;
}

type Prepared = { ok: true; built: Built; report: CheckReport | null } | { ok: false; error: string };
type Outcome = { ok: true; lines: string[]; notes: string[]; report: CheckReport | null } | { ok: false; error: string };

/** The job's source as messages name it. */
const sourceName = (job: Job) => (job.source === "-" ? "stdin" : job.source);

async function prepareJob(job: Job, settings: RunSettings, io: Io, progress: Progress): Promise<Prepared> {
  const warn = (message: string) => io.stderr(`spacegen: warning: ${sourceName(job)}: ${oneLine(message)}`);
  try {
    const built = await buildJob(job, settings, warn, progress);
    return { ok: true, built, report: settings.check ? await checkBuilt(built, warn) : null };
  } catch (error) {
    return { ok: false, error: jobError(job, error, io) };
  }
}

async function writeJob(built: Built, settings: RunSettings, io: Io): Promise<Outcome> {
  try {
    await writeBuilt(built, io);
  } catch (error) {
    return { ok: false, error: jobError(built.job, error, io) };
  }
  const count = built.generated.ir.endpoints.length;
  const endpoints = `${count} endpoint${count === 1 ? "" : "s"}`;
  const { paths } = built;
  if (settings.quiet) return { ok: true, lines: [], notes: [], report: null };
  if (paths.inPlace) {
    // stdout (or the device) carries the module: the rest goes to stderr.
    const where = paths.module === null ? "stdout" : display(paths.module);
    const snapshot = paths.snapshot ? `its snapshot to ${display(paths.snapshot)}` : "no snapshot (pass --snapshot <path> to keep one for --check and --offline)";
    return { ok: true, lines: [], notes: [`spacegen: wrote the module to ${where} (${endpoints}), ${snapshot}`], report: null };
  }
  const what = built.job.js ? `${display(paths.module!)} + ${basename(paths.declarations!)}` : display(paths.module!);
  return { ok: true, lines: [`wrote ${what} (${endpoints})`], notes: [], report: null };
}

/** Runs `fn` over `items` with at most `limit` at once; `done` is called in completion order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>, done: (index: number, result: R) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      done(index, await fn(items[index]!, index));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** The one updating status line on a terminal. */
class StatusLine {
  private shown = false;
  constructor(private readonly tty: NodeJS.WriteStream | null) {}
  show(text: string): void {
    if (!this.tty) return;
    const width = Math.max(20, (this.tty.columns || 80) - 1);
    const shown = inlineText(text);
    this.tty.write(`\r\x1b[K${shown.length > width ? shown.slice(0, width - 1) + "…" : shown}`);
    this.shown = true;
  }
  clear(): void {
    if (this.tty && this.shown) this.tty.write("\r\x1b[K");
    this.shown = false;
  }
}

export async function runJobs(jobs: Job[], settings: RunSettings, rawIo: Io): Promise<number> {
  const status = new StatusLine(settings.progressTty);
  const running = new Set<number>();
  let finished = 0;
  const label = (i: number) => {
    const job = jobs[i]!;
    return job.name ?? spaceIdOf(job.source) ?? (isUrl(job.source) ? nameFromUrl(job.source) : display(job.source));
  };
  const refresh = () => {
    if (running.size === 0) return status.clear();
    const names = [...running].slice(0, 3).map(label).join(", ");
    status.show(`spacegen: [${finished}/${jobs.length}] ${settings.check ? "checking" : "generating"} ${names}${running.size > 3 ? ` +${running.size - 3}` : ""}`);
  };
  // Anything printed clears the status line first, then redraws it.
  const io: Io = {
    ...rawIo,
    stdout: (line) => {
      status.clear();
      rawIo.stdout(line);
      refresh();
    },
    stderr: (line) => {
      status.clear();
      rawIo.stderr(line);
      refresh();
    },
  };
  // Hub waits report through the same channel: plain lines (the status line shows the job).
  const progress = new Progress(null, io.stderr);

  const prepared: Prepared[] = new Array(jobs.length);
  await pool(
    jobs,
    settings.concurrency,
    async (job, index) => {
      running.add(index);
      refresh();
      try {
        return await prepareJob(job, settings, io, progress);
      } finally {
        running.delete(index);
        finished++;
      }
    },
    (index, result) => {
      prepared[index] = result;
      refresh();
    },
  );
  status.clear();

  // Before anything is written: the outputs of all jobs together.
  const built = prepared.flatMap((p) => (p.ok ? [p.built] : []));
  const problems = planProblems(built.map(planOf), settings.protectedFiles);
  if (problems.length > 0) {
    for (const problem of problems) io.stderr(`spacegen: error: ${problem}`);
    io.stderr(`spacegen: error: nothing was written (${problems.length} problem${problems.length === 1 ? "" : "s"} with the outputs)`);
    return 2;
  }

  const outcomes: Outcome[] = [];
  for (const p of prepared) {
    if (!p.ok) outcomes.push(p);
    else if (settings.check) outcomes.push({ ok: true, lines: [], notes: [], report: p.report });
    else outcomes.push(await writeJob(p.built, settings, io));
  }
  for (const outcome of outcomes) {
    if (!outcome.ok) io.stderr(`spacegen: error: ${outcome.error}`);
    else {
      for (const line of outcome.lines) io.stdout(line);
      for (const line of outcome.notes) io.stderr(line);
      if (outcome.report && settings.format === "text") printReport(outcome.report, settings, io);
    }
  }

  const errors = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  const reports = outcomes.flatMap((o) => (o.ok && o.report ? [o.report] : []));
  const differing = reports.filter((r) => r.diffs.length > 0);
  if (settings.check) {
    if (settings.format === "markdown") io.stdout(markdownSummary(reports, errors.map((e) => e.error)));
    else if (!settings.quiet) {
      const breaking = differing.filter((r) => r.changes.some((c) => c.kind === "breaking")).length;
      io.stdout(
        differing.length > 0
          ? `spacegen --check: ${differing.length} of ${reports.length} module${reports.length === 1 ? "" : "s"} differ${differing.length === 1 ? "s" : ""}` +
              `${breaking ? ` (${breaking} with breaking changes)` : ""}${errors.length ? `; ${errors.length} failed` : ""} (exit ${errors.length ? 2 : 1})`
          : errors.length
            ? `spacegen --check: ${errors.length} of ${jobs.length} failed (exit 2)`
            : `spacegen --check: all outputs up to date`,
      );
    }
  }
  if (errors.length > 0) return 2;
  return settings.check && differing.length > 0 ? 1 : 0;
}

const KIND_WIDTH = 9;

function printReport(report: CheckReport, settings: RunSettings, io: Io): void {
  if (report.diffs.length === 0) return;
  const paint = (s: string, c: string) => (settings.color ? style(c, s) : s);
  if (!settings.quiet)
    for (const d of report.diffs) io.stdout(formatPatch(d.patch, { color: settings.color }));
  const counts = countKinds(report.changes);
  const tally = [counts.breaking && `${counts.breaking} breaking`, counts.additive && `${counts.additive} additive`, counts.changed && `${counts.changed} other`]
    .filter(Boolean)
    .join(", ");
  io.stdout(paint(`${report.module}: ${tally || "differs"}`, "1"));
  if (report.note) io.stdout(`  ${report.note}`);
  for (const c of report.changes) {
    const kind = c.kind.padEnd(KIND_WIDTH);
    const colored = c.kind === "breaking" ? paint(kind, "31;1") : c.kind === "additive" ? paint(kind, "32") : paint(kind, "33");
    // names and values come from documents: one line, whatever they hold
    io.stdout(inlineLine(`  ${colored} ${c.endpoint ?? "(module)"}: ${c.message}`));
  }
}

const MAX_MARKDOWN_DIFF_LINES = 400;
const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A summary for a pull-request comment. */
export function markdownSummary(reports: CheckReport[], errors: string[]): string {
  const differing = reports.filter((r) => r.diffs.length > 0);
  const all = differing.flatMap((r) => r.changes);
  const counts = countKinds(all);
  const lines: string[] = ["## spacegen: API drift", ""];
  if (differing.length === 0 && errors.length === 0) {
    lines.push(`✅ All ${reports.length} module${reports.length === 1 ? " is" : "s are"} up to date.`);
    return lines.join("\n");
  }
  const head = [
    `**${differing.length} of ${reports.length + errors.length} module${reports.length + errors.length === 1 ? "" : "s"} differ**`,
    counts.breaking ? `**${counts.breaking} breaking**` : "no breaking changes",
    `${counts.additive} additive`,
    counts.changed ? `${counts.changed} other` : "",
    errors.length ? `${errors.length} failed` : "",
  ].filter(Boolean);
  lines.push(head.join(" · "), "");
  for (const r of differing) {
    const breaking = r.changes.some((c) => c.kind === "breaking");
    lines.push(`### ${markdownCode(r.module)} — ${breaking ? "⚠️ breaking" : r.changes.some((c) => c.kind === "additive") ? "additive" : "changed"}`, "");
    if (r.note) lines.push(`_${markdownText(r.note)}_`, "");
    if (r.changes.length > 0) {
      // Endpoint names and messages quote documents: nothing in them may mention, link or break the table.
      lines.push("| Change | Endpoint | Details |", "|---|---|---|");
      for (const c of r.changes)
        lines.push(`| ${c.kind === "breaking" ? "**breaking**" : c.kind} | ${c.endpoint ? markdownCode(c.endpoint, true) : "(module)"} | ${markdownText(c.message, true)} |`);
      lines.push("");
    }
    for (const d of r.diffs) {
      const diffLines = d.diff.split("\n");
      const shown = diffLines.slice(0, MAX_MARKDOWN_DIFF_LINES);
      const fence = "`".repeat(Math.max(3, ...[...d.diff.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      lines.push(`<details><summary>Diff of <code>${html(d.file)}</code> (${diffLines.length} lines)</summary>`, "", `${fence}diff`, ...shown);
      if (diffLines.length > shown.length) lines.push(`… ${diffLines.length - shown.length} more lines`);
      lines.push(fence, "", "</details>", "");
    }
  }
  const upToDate = reports.length - differing.length;
  if (upToDate > 0) lines.push(`✅ ${upToDate} module${upToDate === 1 ? "" : "s"} up to date.`, "");
  if (errors.length > 0) {
    lines.push("### ❌ Failed", "");
    for (const e of errors) lines.push(`- ${markdownText(e)}`);
    lines.push("");
  }
  lines.push("Regenerate with `npx spacegen` and commit the result.");
  return lines.join("\n");
}

/** Changes by kind (here, not in drift.ts, so a run without --check never loads the TypeScript compiler). */
function countKinds(changes: readonly Change[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { breaking: 0, additive: 0, changed: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}
