// Unified diffs for --check: line-based, with proper hunks (3 lines of context, `@@ -a,b +c,d @@`
// headers as GNU diff writes them), optionally coloured for a terminal.

type Op = { op: " " | "-" | "+"; line: string };

/** The edit script between two line arrays: common prefix/suffix trimmed, LCS over the middle (bounded). */
function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ op: " ", line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m <= 16_000_000) {
    // LCS lengths from the end, so the walk below goes forwards.
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ op: " ", line: midA[i++]! });
        j++;
      } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ op: "-", line: midA[i++]! });
      else ops.push({ op: "+", line: midB[j++]! });
    }
  } else {
    for (const line of midA) ops.push({ op: "-", line });
    for (const line of midB) ops.push({ op: "+", line });
  }
  for (const line of a.slice(endA)) ops.push({ op: " ", line });
  return ops;
}

function splitLines(text: string): { lines: string[]; noNewline: boolean } {
  if (text === "") return { lines: [], noNewline: false };
  const noNewline = !text.endsWith("\n");
  const lines = (noNewline ? text : text.slice(0, -1)).split("\n");
  return { lines, noNewline };
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

export interface DiffOptions {
  context?: number;
  color?: boolean;
}

/** A unified diff of two texts; "" when they are equal. `null` stands for a missing file. */
export function unifiedDiff(oldText: string | null, newText: string | null, oldName: string, newName: string, options: DiffOptions = {}): string {
  if (oldText === newText) return "";
  const context = options.context ?? 3;
  const a = splitLines(oldText ?? "");
  const b = splitLines(newText ?? "");
  const ops = editScript(a.lines, b.lines);
  // Hunks: runs of changes with up to `context` lines around them; gaps of <= 2*context merge.
  const changed = ops.map((o, i) => (o.op === " " ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [`--- ${oldText === null ? "/dev/null" : oldName}`, `+++ ${newText === null ? "/dev/null" : newName}`];
  const paint = (s: string, code: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  let k = 0;
  while (k < changed.length) {
    let from = Math.max(0, changed[k]! - context);
    let last = changed[k]!;
    while (k + 1 < changed.length && changed[k + 1]! - last <= 2 * context + 1) last = changed[++k]!;
    k++;
    const to = Math.min(ops.length, last + context + 1);
    // Line numbers at `from`.
    let oldLine = 1;
    let newLine = 1;
    for (let i = 0; i < from; i++) {
      if (ops[i]!.op !== "+") oldLine++;
      if (ops[i]!.op !== "-") newLine++;
    }
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((o) => o.op !== "+").length;
    const newCount = slice.filter((o) => o.op !== "-").length;
    out.push(paint(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`, "36"));
    for (let i = from; i < to; i++) {
      const o = ops[i]!;
      out.push(o.op === "-" ? paint(`-${o.line}`, "31") : o.op === "+" ? paint(`+${o.line}`, "32") : ` ${o.line}`);
      // "\ No newline at end of file" after the last line of a side that lacks one.
      const lastOld = o.op !== "+" && a.noNewline && ops.slice(i + 1).every((x) => x.op === "+");
      const lastNew = o.op !== "-" && b.noNewline && ops.slice(i + 1).every((x) => x.op === "-");
      if ((lastOld && o.op === "-") || (lastNew && o.op === "+") || (o.op === " " && (lastOld || lastNew)))
        out.push("\\ No newline at end of file");
    }
    from = to;
  }
  return out.join("\n");
}
