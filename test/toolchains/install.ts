/**
 * Toolchains that tests build generated modules with, as users have them: each is a folder here with a
 * package.json and its package-lock.json (exact versions), installed with `npm ci` once into a cache folder
 * keyed by the hash of those two files, under ~/.cache/spacegen/toolchains (override the root with
 * SPACEGEN_TOOLCHAIN_ROOT). A run after the first pays nothing; a changed lockfile installs anew.
 *
 *   const dir = toolchain("typescript");   // dir/node_modules/ts-4.8/bin/tsc ...
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

function toolchainRoot(): string {
  return process.env.SPACEGEN_TOOLCHAIN_ROOT ?? join(homedir(), ".cache", "spacegen", "toolchains");
}

/** Installs (once) and returns the folder of toolchain `name` (test/toolchains/<name>/). */
export function toolchain(name: string): string {
  const source = join(HERE, name);
  const files = ["package.json", "package-lock.json"];
  const hash = createHash("sha256");
  for (const f of files) hash.update(readFileSync(join(source, f)));
  const dir = join(toolchainRoot(), `${name}-${hash.digest("hex").slice(0, 12)}`);
  if (existsSync(join(dir, ".installed"))) return dir;
  // install beside the final folder and rename, so a killed run or a parallel one never leaves a half install
  const work = `${dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const f of files) copyFileSync(join(source, f), join(work, f));
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: work, stdio: "pipe", timeout: 600_000 });
  writeFileSync(join(work, ".installed"), new Date().toISOString() + "\n");
  try {
    renameSync(work, dir);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(join(dir, ".installed"))) throw error;
  }
  return dir;
}
