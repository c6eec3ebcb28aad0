// Types of the Gradio launcher (gradio.mjs, plain JavaScript so bench/ and scripts/ import it without a build).

export declare const REPO_ROOT: string;
/** test/apps/, the Python apps startApp runs. */
export declare const APPS_DIR: string;

export interface StartOptions {
  /** Gradio version (a venv must exist). Default: gradioVersion(). */
  version?: string;
  /** Extra environment variables for the app process. */
  env?: Record<string, string>;
  /** Extra command-line arguments after the script path. */
  args?: string[];
  /** How long to wait for GET /config to answer 200. Default 90 s. */
  timeoutMs?: number;
}

export interface RunningApp {
  /** Root URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  version: string;
  pid: number;
  /** Everything the process has printed so far (stdout+stderr, capped). */
  output(): string;
  /** Kill the whole process group; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** The Gradio version selected for this run: env SPACEGEN_GRADIO, default 6.31.0. */
export declare function gradioVersion(): string;
/** The venv's python for `version` (~/.cache/spacegen/venvs/gradio-<version>/bin/python, root SPACEGEN_VENV_ROOT). */
export declare function venvPython(version?: string): string;
/** True when the venv for `version` exists (scripts/setup-gradio.sh has run). */
export declare function hasGradio(version?: string): boolean;
/** Is a process with this pid still alive (zombies count as gone when we are the parent and reaped)? */
export declare function pidAlive(pid: number): boolean;
/** Start test/apps/<appFile>.py (".py" optional; an absolute path is used as is) and wait until GET {url}/config answers 200. */
export declare function startApp(appFile: string, opts?: StartOptions): Promise<RunningApp>;
