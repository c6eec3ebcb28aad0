// Adds up vitest JSON reports and prints the closing lines CI reads: the name of every failed test or check
// (CI logs are often read from the tail), the static checks ("checks: lint passed (40s), …"), then
// "N passed, N failed[, N skipped]".
//   node scripts/summarize-tests.mjs [--checks <file of "name passed|failed <time>" lines>] <vitest json>...
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const args = process.argv.slice(2);
const checksAt = args.indexOf("--checks");
const checks = [];
if (checksAt >= 0) {
  const [, checksFile] = args.splice(checksAt, 2);
  const lines = checksFile && existsSync(checksFile) ? readFileSync(checksFile, "utf8").split("\n").filter(Boolean) : [];
  if (lines.length === 0) failures.push(`${checksFile ?? "--checks"}: no static check ran`);
  for (const line of lines) {
    const [name, result, time] = line.split(" ");
    checks.push(`${name} ${result} (${time})`);
    if (result !== "passed") failures.push(`[checks] npm run ${name} failed (its output is above the test runs)`);
  }
}
for (const file of args) {
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
      const why = String(test.failureMessages?.[0] ?? "")
        .split("\n")[0]
        .slice(0, 300);
      failures.push(`[${run}] ${name} > ${test.fullName}: ${why}`);
    }
    // A file that failed without failing tests (an import or hook error) counts as one failure.
    if (testFile.status === "failed" && failedTests.length === 0) {
      failed++;
      failures.push(
        `[${run}] ${name}: ${String(testFile.message ?? "failed outside its tests")
          .split("\n")[0]
          .slice(0, 300)}`,
      );
    }
  }
}
if (failures.length > 0) console.log(`failed:\n${failures.map((line) => `  ${line}`).join("\n")}`);
if (checks.length > 0) console.log(`checks: ${checks.join(", ")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
const checksFailed = checksAt >= 0 && (checks.length === 0 || checks.some((c) => !c.includes(" passed ")));
process.exitCode = failed > 0 || passed === 0 || checksFailed ? 1 : 0;
