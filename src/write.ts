// Writing outputs: atomically (temporary file + rename), so a generation killed at any moment
// leaves each file either old or new; and comparing for --check, which writes nothing.

import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content, "utf8");
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** A minimal unified diff (line-based, LCS over a bounded window), for --check output. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = oldText.split("\n");
  const b = newText.split("\n");
  // Trim the common prefix and suffix, then diff the middle with an LCS table (bounded size).
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const ops: { op: " " | "-" | "+"; line: string }[] = [];
  if (midA.length * midB.length <= 4_000_000) {
    const n = midA.length;
    const m = midB.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ op: " ", line: midA[i]! });
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ op: "+", line: midB[j++]! });
      else ops.push({ op: "-", line: midA[i++]! });
    }
  } else {
    for (const line of midA) ops.push({ op: "-", line });
    for (const line of midB) ops.push({ op: "+", line });
  }
  const before = a.slice(Math.max(0, start - context), start).map((line) => ({ op: " " as const, line }));
  const after = a.slice(endA, endA + context).map((line) => ({ op: " " as const, line }));
  const all = [...before, ...ops, ...after];
  const oldStart = Math.max(0, start - context) + 1;
  const oldCount = all.filter((o) => o.op !== "+").length;
  const newCount = all.filter((o) => o.op !== "-").length;
  return [
    `--- ${oldName}`,
    `+++ ${newName}`,
    `@@ -${oldStart},${oldCount} +${oldStart},${newCount} @@`,
    ...all.map((o) => o.op + o.line),
  ].join("\n");
}
