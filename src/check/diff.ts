// Unified diffs for --check: the `diff` package (jsdiff, Myers' algorithm) finds the edits, this module
// writes them as GNU diff does (`--- a/x`, `+++ b/x`, `@@ -a,b +c,d @@`, 3 lines of context, "\ No newline
// at end of file"), optionally coloured for a terminal.

import { structuredPatch } from "diff";
import { style } from "../shared/terminal.js";

export interface DiffOptions {
  context?: number;
  color?: boolean;
}

/** One file's hunks, ready to print in either colour. */
export interface FilePatch {
  oldName: string;
  newName: string;
  hunks: { header: string; lines: string[] }[];
}

// Myers' algorithm costs about (lines of both texts) × (edit length): past this budget the texts are too
// different to be worth aligning line by line, and their differing middle is shown as one hunk instead.
const WORK_BUDGET = 200_000_000;
const MIN_EDIT_LENGTH = 1000;

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);
const lineCount = (text: string) => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

/** The patch between two texts; `null` stands for a missing file. No hunks when the texts are equal. */
export function diffTexts(
  oldText: string | null,
  newText: string | null,
  oldName: string,
  newName: string,
  options: Pick<DiffOptions, "context"> = {},
): FilePatch {
  const patch: FilePatch = { oldName: oldText === null ? "/dev/null" : oldName, newName: newText === null ? "/dev/null" : newName, hunks: [] };
  const a = oldText ?? "";
  const b = newText ?? "";
  if (a === b) return patch;
  const maxEditLength = Math.max(MIN_EDIT_LENGTH, Math.floor(WORK_BUDGET / (lineCount(a) + lineCount(b) + 1)));
  const found = structuredPatch(oldName, newName, a, b, undefined, undefined, { context: options.context ?? 3, maxEditLength });
  patch.hunks = (found?.hunks ?? [wholeMiddle(a, b)]).map((h) => ({
    header: `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`,
    lines: h.lines,
  }));
  return patch;
}

/** The fallback hunk: everything between the common leading and trailing lines, removed then added. */
function wholeMiddle(a: string, b: string): { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] } {
  const split = (text: string) => {
    const lines = text.split("\n");
    if (text.endsWith("\n")) lines.pop();
    return { lines, noNewline: text !== "" && !text.endsWith("\n") };
  };
  const x = split(a);
  const y = split(b);
  let start = 0;
  while (start < x.lines.length && start < y.lines.length && x.lines[start] === y.lines[start]) start++;
  let endX = x.lines.length;
  let endY = y.lines.length;
  // The last line is common only if both sides agree on its final newline too.
  while (endX > start && endY > start && x.lines[endX - 1] === y.lines[endY - 1] && (endX < x.lines.length || x.noNewline === y.noNewline)) {
    endX--;
    endY--;
  }
  const lines: string[] = [];
  for (let i = start; i < endX; i++) lines.push(`-${x.lines[i]}`);
  if (endX === x.lines.length && x.noNewline) lines.push("\\ No newline at end of file");
  for (let i = start; i < endY; i++) lines.push(`+${y.lines[i]}`);
  if (endY === y.lines.length && y.noNewline) lines.push("\\ No newline at end of file");
  return { oldStart: start + 1, oldLines: endX - start, newStart: start + 1, newLines: endY - start, lines };
}

/** The patch as unified-diff text; "" when it has no hunks. */
export function formatPatch(patch: FilePatch, options: Pick<DiffOptions, "color"> = {}): string {
  if (patch.hunks.length === 0) return "";
  // style marks, which only the CLI's output sink turns into colours (terminal.ts): a module's text may hold escapes
  const paint = (s: string, code: string) => (options.color ? style(code, s) : s);
  const out = [paint(`--- ${patch.oldName}`, "1"), paint(`+++ ${patch.newName}`, "1")];
  for (const hunk of patch.hunks) {
    out.push(paint(hunk.header, "36"));
    for (const line of hunk.lines) out.push(line.startsWith("-") ? paint(line, "31") : line.startsWith("+") ? paint(line, "32") : line);
  }
  return out.join("\n");
}

/** A unified diff of two texts; "" when they are equal. `null` stands for a missing file. */
export function unifiedDiff(oldText: string | null, newText: string | null, oldName: string, newName: string, options: DiffOptions = {}): string {
  return formatPatch(diffTexts(oldText, newText, oldName, newName, options), options);
}
