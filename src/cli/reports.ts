// What the command line prints about a run: warnings as they come, under a status line naming the jobs
// running (a terminal only); then per job what was written or what failed, --check's diffs and summaries
// (text here, Markdown in markdown.ts), and the totals.

import { basename } from "node:path";
import { countKinds, type CheckReport } from "../check/compare.js";
import { formatPatch } from "../check/diff.js";
import { displayPath as display } from "../output/paths.js";
import { jobLabel, type Built } from "../run/build.js";
import { sourceName, type Job, type RunContext } from "../run/job.js";
import { exitCode, type RunEvents, type RunResult } from "../run/run.js";
import { oneLine } from "../shared/errors.js";
import { TerminalStatus } from "../shared/status.js";
import { inlineLine, style } from "../shared/terminal.js";
import { markdownSummary } from "./markdown.js";

export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** raw text on stdout, for the module of `-o -` (default: process.stdout) */
  writeStdout?: (text: string) => Promise<void>;
  /** stdin's bytes, for the source "-" (default: process.stdin) */
  readStdin?: () => Promise<Uint8Array>;
}

/** The run's events printed on `rawIo`, under one status line: anything printed clears it first, then redraws it. */
export function reporter(jobs: Job[], context: RunContext, rawIo: Io): { io: Io; events: RunEvents; status: TerminalStatus } {
  const status = new TerminalStatus(context.statusTty);
  let shown: { running: readonly number[]; finished: number } = { running: [], finished: 0 };
  const refresh = () => {
    const { running, finished } = shown;
    if (running.length === 0) return status.clear();
    const names = running
      .slice(0, 3)
      .map((i) => jobLabel(jobs[i]!))
      .join(", ");
    status.show(
      `spacegen: [${finished}/${jobs.length}] ${context.check ? "checking" : "generating"} ${names}${running.length > 3 ? ` +${running.length - 3}` : ""}`,
    );
  };
  const printer = (print: (line: string) => void) => (line: string) => {
    status.clear();
    print(line);
    refresh();
  };
  const io: Io = { ...rawIo, stdout: printer(rawIo.stdout), stderr: printer(rawIo.stderr) };
  const events: RunEvents = {
    warn: (job, message) => io.stderr(`spacegen: warning: ${sourceName(job)}: ${oneLine(message)}`),
    running: (running, finished) => {
      shown = { running, finished };
      refresh();
    },
    // Hub waits report as plain lines (the status line shows the job).
    progress: new TerminalStatus(null, io.stderr),
  };
  return { io, events, status };
}

/** What was written, for one built job (stdout, or stderr when stdout carries the module). */
function writtenLine(built: Built, io: Io): void {
  const count = built.generated.ir.endpoints.length;
  const endpoints = `${count} endpoint${count === 1 ? "" : "s"}`;
  const { paths } = built;
  if (paths.inPlace) {
    // stdout (or the device) carries the module: the rest goes to stderr.
    const where = paths.module === null ? "stdout" : display(paths.module);
    const snapshot = paths.snapshot
      ? `its snapshot to ${display(paths.snapshot)}`
      : "no snapshot (pass --snapshot <path> to keep one for --check and --offline)";
    return io.stderr(`spacegen: wrote the module to ${where} (${endpoints}), ${snapshot}`);
  }
  const what = built.job.js ? `${display(paths.module!)} + ${basename(paths.declarations!)}` : display(paths.module!);
  io.stdout(`wrote ${what} (${endpoints})`);
}

/** Prints a finished run; returns its exit code. */
export function printRun(result: RunResult, context: RunContext, io: Io): number {
  if (result.problems.length > 0) {
    for (const problem of result.problems) io.stderr(`spacegen: error: ${problem}`);
    io.stderr(`spacegen: error: nothing was written (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"} with the outputs)`);
    return 2;
  }
  for (const r of result.results) {
    if (!r.ok) {
      if (r.stack) io.stderr(r.stack);
      io.stderr(`spacegen: error: ${r.error}`);
    } else if (r.report) {
      if (context.format === "text") printReport(r.report, context, io);
    } else if (!context.quiet) writtenLine(r.built, io);
  }
  if (context.check) printCheckSummary(result, context, io);
  return exitCode(result);
}

function printCheckSummary(result: RunResult, context: RunContext, io: Io): void {
  const errors = result.results.flatMap((r) => (r.ok ? [] : [r.error]));
  const reports = result.results.flatMap((r) => (r.ok && r.report ? [r.report] : []));
  if (context.format === "markdown") return io.stdout(markdownSummary(reports, errors));
  if (context.quiet) return;
  const differing = reports.filter((r) => r.diffs.length > 0);
  const breaking = differing.filter((r) => r.changes.some((c) => c.kind === "breaking")).length;
  io.stdout(
    differing.length > 0
      ? `spacegen --check: ${differing.length} of ${reports.length} module${reports.length === 1 ? "" : "s"} differ${differing.length === 1 ? "s" : ""}` +
          `${breaking ? ` (${breaking} with breaking changes)` : ""}${errors.length ? `; ${errors.length} failed` : ""} (exit ${errors.length ? 2 : 1})`
      : errors.length
        ? `spacegen --check: ${errors.length} of ${result.results.length} failed (exit 2)`
        : `spacegen --check: all outputs up to date`,
  );
}

const KIND_WIDTH = 9;

function printReport(report: CheckReport, context: Pick<RunContext, "color" | "quiet">, io: Io): void {
  if (report.diffs.length === 0) return;
  const paint = (s: string, c: string) => (context.color ? style(c, s) : s);
  if (!context.quiet) for (const d of report.diffs) io.stdout(formatPatch(d.patch, { color: context.color }));
  const counts = countKinds(report.changes);
  const tally = [
    counts.breaking && `${counts.breaking} breaking`,
    counts.additive && `${counts.additive} additive`,
    counts.changed && `${counts.changed} other`,
  ]
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
