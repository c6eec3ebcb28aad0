// Orchestration: jobs (one module each, from the command line or spacegen.config.json) run with a
// bounded concurrency; each loads its source (or its snapshot with --offline), generates, and either
// writes its outputs or, with --check, compares them and explains the API drift. Reports print in
// job order, whatever order the jobs finish in.

import { existsSync, statSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
// drift.ts and js.ts load the TypeScript compiler (~0.7 s of CPU): imported only by --check and --js.
import type { Change, ChangeKind } from "./drift.js";
import type { TokenSource } from "./credentials.js";
import { unifiedDiff } from "./diff.js";
import { oneLine, UserError } from "./errors.js";
import { generateModule, type Generated } from "./generate.js";
import { Progress, SPACE_ID_PATTERN } from "./hub.js";
import { appRoot, isUrl, loadFromFile, nameFromUrl } from "./load.js";
import type { Snapshot } from "./snapshot.js";
import { loadLive, spaceIdOf } from "./sources.js";
import { inlineLine, inlineText, markdownCode, markdownText, style } from "./terminal.js";
import { readIfExists, writeAtomic } from "./write.js";

export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** One module to produce. */
export interface Job {
  source: string;
  /** a folder, or the exact module file (.ts, or .js for --js) */
  out: string;
  name?: string;
  /** the URL the module calls, when not where its API was read */
  url?: string;
  allEndpoints: boolean;
  js: boolean;
  /** the command written into the banner; derived from the source when absent */
  regenerate?: string;
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
}

export const posix = (path: string) => path.split(sep).join("/");
const display = (path: string) => posix(relative(process.cwd(), path)) || ".";

type SourceKind = "file" | "url" | "space";

function sourceKind(source: string): SourceKind {
  if (isUrl(source)) return "url";
  if (existsSync(source) && statSync(source).isFile()) return "file";
  if (SPACE_ID_PATTERN.test(source) && !/\.json$/i.test(source)) return "space";
  throw new UserError(`${source}: not a file, an http(s) URL, or a Space id like "namespace/repo"`);
}

const EXACT = /\.(ts|js)$/i;

/** Where a module goes: `out` itself when it names a .ts/.js file, else `<out>/<ns>/<repo>` or `<out>/<name>`. */
function modulePath(job: Job, name: string): string {
  const ext = job.js ? ".js" : ".ts";
  if (EXACT.test(job.out)) return resolve(job.out.replace(EXACT, ext));
  if (!/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(name)) throw new UserError(`invalid module name ${JSON.stringify(name)}; pass --name`);
  return resolve(job.out, `${name}${ext}`);
}

export const snapshotPathOf = (moduleFile: string) => moduleFile.replace(EXACT, ".schema.json");

function moduleName(job: Job, snapshot: Pick<Snapshot, "source">): string {
  return snapshot.source.space ?? job.name ?? snapshot.source.name;
}

/** A job's snapshot: from its file, from the snapshot beside its module (--offline), or from the live app. */
export async function loadSnapshot(
  job: Job,
  settings: Pick<RunSettings, "offline" | "live">,
  warn: (m: string) => void,
  progress: Progress,
): Promise<Snapshot> {
  const { source } = job;
  const kind = sourceKind(source);
  const common = { allEndpoints: job.allEndpoints, warn, ...(job.name ? { name: job.name } : {}) };
  if (kind === "file") return loadFromFile(source, { ...common, ...(job.url ? { url: job.url } : {}) });
  if (settings.offline) {
    // Offline: the snapshot beside the module stands in for the app.
    const space = spaceIdOf(source);
    const name = space ?? job.name ?? (kind === "url" ? nameFromUrl(source) : source);
    const path = snapshotPathOf(modulePath(job, name));
    if (!existsSync(path)) throw new UserError(`${source}: --offline needs the snapshot ${display(path)}, which does not exist; generate it once online`);
    return loadFromFile(path, common);
  }
  // Hub resolution, Space status, token scoping and Gradio login: src/sources.ts.
  const { live } = settings;
  const snapshot = await loadLive(source, {
    ...common,
    progress,
    ...(live.token ? { token: live.token, tokenFrom: live.tokenFrom ?? "--token" } : {}),
    ...(live.auth ? { auth: live.auth, authFrom: live.authFrom ?? "--auth" } : {}),
    ...(live.waitSeconds !== undefined ? { waitSeconds: live.waitSeconds } : {}),
  });
  // `url`: read the API here, but call the app there (a local copy of a Space, a proxy).
  if (job.url) snapshot.source.url = appRoot(job.url);
  return snapshot;
}

function regenerateCommand(job: Job, snapshot: Snapshot, moduleFile: string): string {
  if (job.regenerate) return job.regenerate;
  const out = display(moduleFile);
  const rawInfo = snapshot.config === null && snapshot.apiPrefix === null;
  const source = snapshot.source.space ?? (rawInfo ? display(snapshotPathOf(moduleFile)) : isUrl(job.source) ? appRoot(job.source) : snapshot.source.url);
  return `npx spacegen ${source} -o ${out}${job.js ? " --js" : ""}${job.url && !rawInfo ? ` --url ${snapshot.source.url}` : ""}`;
}

interface Output {
  path: string;
  content: string;
}

interface Built {
  snapshot: Snapshot;
  generated: Generated;
  moduleFile: string;
  /** in write order: the snapshot first, the module last */
  outputs: Output[];
}

async function build(job: Job, snapshot: Snapshot): Promise<Built> {
  const moduleFile = modulePath(job, moduleName(job, snapshot));
  const generated = await generateModule(snapshot, { allEndpoints: job.allEndpoints, regenerate: regenerateCommand(job, snapshot, moduleFile) });
  const outputs: Output[] = [{ path: snapshotPathOf(moduleFile), content: generated.snapshotText }];
  if (job.js) {
    const { compileToJs } = await import("./js.js");
    const compiled = await compileToJs(generated.code);
    outputs.push({ path: moduleFile.replace(/\.js$/i, ".d.ts"), content: compiled.dts }, { path: moduleFile, content: compiled.js });
  } else outputs.push({ path: moduleFile, content: generated.code });
  return { snapshot, generated, moduleFile, outputs };
}

/** What --check found for one module. */
export interface CheckReport {
  module: string;
  /** files that differ, with their unified diffs (uncoloured) */
  diffs: { file: string; diff: string }[];
  changes: Change[];
  /** a sentence when no per-endpoint summary could be made, or the API itself did not change */
  note: string | null;
}

async function check(job: Job, built: Built, warn: (m: string) => void): Promise<CheckReport> {
  const diffs: CheckReport["diffs"] = [];
  const current = new Map<string, string | null>();
  for (const output of built.outputs) {
    const text = await readIfExists(output.path);
    current.set(output.path, text);
    if (text === output.content) continue;
    const name = display(output.path);
    diffs.push({ file: name, diff: unifiedDiff(text, output.content, `a/${name}`, `b/${name}`) });
  }
  const report: CheckReport = { module: display(built.moduleFile), diffs, changes: [], note: null };
  if (diffs.length === 0) return report;
  const snapshotFile = built.outputs[0]!.path;
  const oldText = current.get(snapshotFile);
  if (oldText === null || oldText === undefined) {
    report.changes.push({ kind: "additive", endpoint: null, message: `new module (${built.generated.ir.endpoints.length} endpoints)` });
    return report;
  }
  if (oldText === built.generated.snapshotText) {
    report.note = "the app's API is unchanged; the module text differs (edited by hand, or generated by another spacegen version)";
    return report;
  }
  try {
    const old = await loadFromFile(snapshotFile, { allEndpoints: job.allEndpoints, warn: () => {} });
    const before = await generateModule(old, { allEndpoints: job.allEndpoints, regenerate: regenerateCommand(job, old, built.moduleFile) });
    const { compareApis } = await import("./drift.js");
    report.changes = compareApis(before.ir, built.generated.ir, before.code, built.generated.code);
    if (report.changes.length === 0) report.note = "no change to the endpoints' signatures";
  } catch (error) {
    warn(`cannot compare with the old snapshot ${display(snapshotFile)}: ${oneLine(error)}`);
    report.note = `the old snapshot could not be read (${oneLine(error, 200)}); only the diff is shown`;
  }
  return report;
}

type Outcome = { ok: true; lines: string[]; report: CheckReport | null } | { ok: false; error: string };

async function runJob(job: Job, settings: RunSettings, io: Io, progress: Progress): Promise<Outcome> {
  const warn = (message: string) => io.stderr(`spacegen: warning: ${job.source}: ${oneLine(message)}`);
  try {
    const snapshot = await loadSnapshot(job, settings, warn, progress);
    const built = await build(job, snapshot);
    for (const warning of built.generated.ir.warnings) warn(warning);
    if (settings.check) return { ok: true, lines: [], report: await check(job, built, warn) };
    for (const output of built.outputs) await writeAtomic(output.path, output.content);
    const count = built.generated.ir.endpoints.length;
    const what = job.js ? `${display(built.moduleFile)} + .d.ts` : display(built.moduleFile);
    return { ok: true, lines: settings.quiet ? [] : [`wrote ${what} (${count} endpoint${count === 1 ? "" : "s"})`], report: null };
  } catch (error) {
    if (!(error instanceof UserError) && process.env.SPACEGEN_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack);
    const message = error instanceof UserError ? oneLine(error) : `internal error: ${oneLine(error)} (please report it; SPACEGEN_DEBUG=1 shows the stack)`;
    return { ok: false, error: message.startsWith(job.source) ? message : `${job.source}: ${message}` };
  }
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

  const outcomes: (Outcome | undefined)[] = new Array(jobs.length);
  let printed = 0;
  const flush = () => {
    while (printed < jobs.length && outcomes[printed]) {
      const outcome = outcomes[printed++]!;
      if (!outcome.ok) io.stderr(`spacegen: error: ${outcome.error}`);
      else {
        for (const line of outcome.lines) io.stdout(line);
        if (outcome.report && settings.format === "text") printReport(outcome.report, settings, io);
      }
    }
  };
  await pool(
    jobs,
    settings.concurrency,
    async (job, index) => {
      running.add(index);
      refresh();
      try {
        return await runJob(job, settings, io, progress);
      } finally {
        running.delete(index);
        finished++;
      }
    },
    (index, outcome) => {
      outcomes[index] = outcome;
      flush();
      refresh();
    },
  );
  status.clear();

  const done = outcomes as Outcome[];
  const errors = done.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  const reports = done.flatMap((o) => (o.ok && o.report ? [o.report] : []));
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
    for (const d of report.diffs) io.stdout(settings.color ? recolor(d.diff) : d.diff);
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

/** Colours an uncoloured unified diff. */
function recolor(diff: string): string {
  return diff
    .split("\n")
    .map((line) =>
      line.startsWith("@@") ? style("36", line) : line.startsWith("---") || line.startsWith("+++") ? style("1", line) : line.startsWith("-") ? style("31", line) : line.startsWith("+") ? style("32", line) : line,
    )
    .join("\n");
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
