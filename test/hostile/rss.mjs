// Preloaded into a CLI run (node --import): writes its wall time and peak resident memory to a file at exit.
import { writeFileSync } from "node:fs";
const started = performance.now();
const file = process.env.SPACEGEN_TEST_USAGE;
process.on("exit", () => {
  if (file) writeFileSync(file, JSON.stringify({ ms: Math.round(performance.now() - started), maxRssKb: process.resourceUsage().maxRSS }));
});
