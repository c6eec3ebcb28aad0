// Shared helpers for the drift tests: temporary projects with a spacegen.config.json.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliResult } from "../support/cli.ts";

export const tmp = (prefix = "spacegen-drift-") => mkdtempSync(join(tmpdir(), prefix));

export interface Entry {
  source: string;
  name?: string;
  url?: string;
  out?: string;
  js?: boolean;
  allEndpoints?: boolean;
}

export function writeConfig(dir: string, file: string, spaces: Entry[], extra: Record<string, unknown> = {}): string {
  writeFileSync(join(dir, file), JSON.stringify({ $schema: "../schema/spacegen.config.schema.json", ...extra, spaces }, null, 2));
  return file;
}

export function spacegen(dir: string, args: string[], timeout = 120_000): Promise<CliResult> {
  return runCli(args, { cwd: dir, timeout });
}

/** The summary lines of `--check` text output: [kind, endpoint, message]. */
export function summaryLines(stdout: string): [string, string, string][] {
  return [...stdout.matchAll(/^ {2}(breaking|additive|changed)\s+(\S+): (.*)$/gm)].map((m) => [m[1]!, m[2]!, m[3]!]);
}

/** The rows of the markdown tables: [kind, endpoint, details]. */
export function markdownRows(markdown: string): [string, string, string][] {
  return [...markdown.matchAll(/^\| (\*\*breaking\*\*|additive|changed) \| (.*?) \| (.*) \|$/gm)].map((m) => [
    m[1]!.replace(/\*/g, ""),
    m[2]!.replace(/`/g, ""),
    m[3]!,
  ]);
}
