// Adds up vitest JSON reports and prints the closing lines CI reads: the name of every failed test
// (CI logs are often read from the tail), then "N passed, N failed[, N skipped]".
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    failures.push(`${file} is missing (that run crashed before reporting)`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  const run = file.replace(/^.*vitest-(.*)\.json$/, "$1");
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const testFile of report.testResults ?? []) {
    const name = relative(process.cwd(), testFile.name ?? "");
    const failedTests = (testFile.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const test of failedTests) {
      const why = String(test.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300);
      failures.push(`[${run}] ${name} > ${test.fullName}: ${why}`);
    }
    // A file that failed without failing tests (an import or hook error) counts as one failure.
    if (testFile.status === "failed" && failedTests.length === 0) {
      failed++;
      failures.push(`[${run}] ${name}: ${String(testFile.message ?? "failed outside its tests").split("\n")[0].slice(0, 300)}`);
    }
  }
}
if (failures.length > 0) console.log(`failed:\n${failures.map((line) => `  ${line}`).join("\n")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
