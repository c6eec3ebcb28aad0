// Runs many CLI invocations in one process (the CLI's own main(), as bin/spacegen.js calls it), so the
// corpus does not pay Node's start-up and module loading per case. Prints one JSON line per case as it
// finishes, so a case that hangs is the first without a line when the parent kills this process.
//
//   node --max-old-space-size=N runner.mjs <jobs.json>    jobs: [{ name, args }]
import { readFileSync, writeSync } from "node:fs";
import { main } from "../../dist/cli/main.js";

const jobs = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const job of jobs) {
  const stdout = [];
  const stderr = [];
  const started = performance.now();
  const code = await main(job.args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  const ms = Math.round(performance.now() - started);
  writeSync(
    1,
    JSON.stringify({ name: job.name, code, stdout: stdout.join("\n"), stderr: stderr.join("\n"), ms, maxRssKb: process.resourceUsage().maxRSS }) + "\n",
  );
}
