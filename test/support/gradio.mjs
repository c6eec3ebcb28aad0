// The one Gradio launcher: start one of the Python apps in test/apps/ on a real Gradio server. Tests, bench/ and
// scripts/ all import it; it is plain JavaScript (types in gradio.d.mts) so Node runs it without a build step.
//
//   const app = await startApp("basic");            // version from SPACEGEN_GRADIO (default 6.31.0)
//   const cfg = await (await fetch(`${app.url}/config`)).json();
//   await app.stop();
//
// The venvs are made by scripts/setup-gradio.sh under ~/.cache/spacegen/venvs/gradio-<version>
// (override the root with SPACEGEN_VENV_ROOT). Every server listens on 127.0.0.1, on a free port.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DEFAULT_GRADIO = "6.31.0";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const APPS_DIR = join(REPO_ROOT, "test", "apps");

/** The Gradio version selected for this run: env SPACEGEN_GRADIO, default 6.31.0. */
export function gradioVersion() {
  return process.env.SPACEGEN_GRADIO?.trim() || DEFAULT_GRADIO;
}

export function venvPython(version = gradioVersion()) {
  const root = process.env.SPACEGEN_VENV_ROOT ?? join(homedir(), ".cache", "spacegen", "venvs");
  return join(root, `gradio-${version}`, "bin", "python");
}

/** True when the venv for `version` exists (scripts/setup-gradio.sh has run). */
export function hasGradio(version = gradioVersion()) {
  return existsSync(venvPython(version));
}

/** Ask the kernel for a free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error("no port"))));
    });
  });
}

// ---- cleanup of everything still running when node exits ----------------------------------
const live = new Set();
let hooksInstalled = false;
function killGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid = the whole process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    for (const c of live) killGroup(c, "SIGKILL");
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(sig, () => {
      for (const c of live) killGroup(c, "SIGKILL");
      process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
    });
  }
}

/** Is a process with this pid still alive (zombies count as gone when we are the parent and reaped)? */
export function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start test/apps/<appFile>.py (".py" optional; an absolute path is used as is) and wait until
 * GET {url}/config answers 200.
 */
export async function startApp(appFile, opts = {}) {
  const version = opts.version ?? gradioVersion();
  const python = venvPython(version);
  if (!existsSync(python)) throw new Error(`No venv for gradio ${version} at ${python}. Run: scripts/setup-gradio.sh ${version}`);
  const script = appFile.startsWith("/") ? appFile : join(APPS_DIR, appFile.endsWith(".py") ? appFile : `${appFile}.py`);
  if (!existsSync(script)) throw new Error(`No such app: ${script}`);

  installExitHooks();
  const port = await freePort();
  const tempDir = mkdtempSync(join(tmpdir(), "spacegen-gradio-"));
  const env = {
    ...process.env,
    GRADIO_SERVER_NAME: "127.0.0.1",
    GRADIO_SERVER_PORT: String(port),
    GRADIO_ANALYTICS_ENABLED: "False",
    GRADIO_TEMP_DIR: tempDir,
    HF_HUB_OFFLINE: "1",
    HF_HUB_DISABLE_TELEMETRY: "1",
    DO_NOT_TRACK: "1",
    GRADIO_SHARE: "False",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    MPLBACKEND: "Agg",
    ...opts.env,
  };
  const child = spawn(python, [script, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env,
    detached: true, // own process group, so stop() can kill uvicorn workers and children too
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);

  let out = "";
  const append = (b) => {
    out += b.toString("utf8");
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);

  let exited = null;
  const exitPromise = new Promise((res) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      res();
    });
    child.once("error", (err) => {
      append(Buffer.from(`\n[spawn error] ${err.message}\n`));
      exited ??= { code: null, signal: null };
      live.delete(child);
      res();
    });
  });

  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      if (!exited) {
        killGroup(child, "SIGTERM");
        const t = setTimeout(() => killGroup(child, "SIGKILL"), 3000);
        await exitPromise;
        clearTimeout(t);
      }
      // Leftovers in the group (e.g. a child that ignored SIGTERM): make sure.
      killGroup(child, "SIGKILL");
      rmSync(tempDir, { recursive: true, force: true });
    }
    await exitPromise;
  };

  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(`gradio ${version} app ${appFile} exited (code ${exited.code}, signal ${exited.signal}) before serving /config:\n${out.slice(-6000)}`);
      }
      try {
        const r = await fetch(`${url}/config`, { signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer().catch(() => undefined);
        if (r.status === 200) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`gradio ${version} app ${appFile} did not serve ${url}/config within ${timeoutMs} ms:\n${out.slice(-6000)}`);
      await sleep(150);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return { url, port, version, pid: child.pid, output: () => out, stop };
}
