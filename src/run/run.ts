// Orchestration: jobs run with a bounded concurrency; each loads its source and generates (build.ts), and
// with --check compares its outputs with the files on disk (check/compare.ts). Only when every job is done,
// and their outputs are known not to collide, overwrite a source or leave a config's folder, is anything
// written. Nothing here prints: results come back in job order, whatever order the jobs finish in, and
// the command line reports them (cli/reports.ts).

import { checkBuilt, type CheckReport } from "../check/compare.js";
import { planProblems } from "../output/paths.js";
import { buildJob, planOf, writeBuilt, type Built, type LoadContext } from "./build.js";
import { debugStack, jobError, type Job, type RunContext } from "./job.js";

/** What happened to one job. */
type JobResult = { ok: true; built: Built; report: CheckReport | null } | { ok: false; error: string; /** for SPACEGEN_DEBUG */ stack: string | null };

export interface RunResult {
  /** per job, in job order */
  results: JobResult[];
  /** what is wrong with the outputs of all jobs together; when there is any, nothing was written */
  problems: string[];
}

/** What the run tells its reporter while it goes. */
export interface RunEvents {
  warn: (job: Job, message: string) => void;
  /** the jobs running now (indexes) and how many have finished */
  running: (running: readonly number[], finished: number) => void;
  /** where a wait for a Space is shown */
  progress: LoadContext["progress"];
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

const failure = (job: Job, error: unknown): JobResult => ({ ok: false, error: jobError(job, error), stack: debugStack(error) });

async function prepareJob(job: Job, context: RunContext, events: RunEvents): Promise<JobResult> {
  const warn = (message: string) => events.warn(job, message);
  try {
    const built = await buildJob(job, { offline: context.offline, live: context.live, warn, progress: events.progress });
    return { ok: true, built, report: context.check ? await checkBuilt(built, warn) : null };
  } catch (error) {
    return failure(job, error);
  }
}

export async function runJobs(jobs: Job[], context: RunContext, events: RunEvents): Promise<RunResult> {
  const running = new Set<number>();
  let finished = 0;
  const prepared = new Array<JobResult>(jobs.length);
  await pool(
    jobs,
    context.concurrency,
    async (job, index) => {
      running.add(index);
      events.running([...running], finished);
      try {
        return await prepareJob(job, context, events);
      } finally {
        running.delete(index);
        finished++;
      }
    },
    (index, result) => {
      prepared[index] = result;
      events.running([...running], finished);
    },
  );

  // Before anything is written: the outputs of all jobs together.
  const built = prepared.flatMap((p) => (p.ok ? [p.built] : []));
  const problems = planProblems(built.map(planOf), context.protectedFiles);
  if (problems.length > 0 || context.check) return { results: prepared, problems };

  const results: JobResult[] = [];
  for (const p of prepared) {
    if (!p.ok) results.push(p);
    else {
      try {
        await writeBuilt(p.built, context.writeStdout);
        results.push(p);
      } catch (error) {
        results.push(failure(p.built.job, error));
      }
    }
  }
  return { results, problems };
}

/** The exit code of a run (fixed by the contract): 2 any error, 1 drift found by --check, else 0. */
export function exitCode(result: RunResult): number {
  if (result.problems.length > 0 || result.results.some((r) => !r.ok)) return 2;
  return result.results.some((r) => r.ok && r.report !== null && r.report.diffs.length > 0) ? 1 : 0;
}
