// --check --format markdown: the run's reports as one comment for a pull request. Endpoint names and
// messages quote documents, so they pass markdownCode/markdownText (terminal.ts) and HTML is escaped.

import { countKinds, type CheckReport } from "../check/compare.js";
import { markdownCode, markdownText } from "../shared/terminal.js";

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
        lines.push(
          `| ${c.kind === "breaking" ? "**breaking**" : c.kind} | ${c.endpoint ? markdownCode(c.endpoint, true) : "(module)"} | ${markdownText(c.message, true)} |`,
        );
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
