/**
 * Harness self-test: every test app starts on the selected Gradio version (SPACEGEN_GRADIO,
 * default 6.31.0), serves /config and /info, every /info endpoint has a /config dependency with
 * the same api_name, and stop() really ends the process group.
 * Skipped (with a notice) when the venv for that version does not exist.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APPS_DIR, gradioVersion, hasGradio, pidAlive, startApp } from "../support/gradio.mjs";

const version = gradioVersion();
// The component apps, which serve /config and /info at their root without login. Apps that need a
// login (login.py), a sub-path (mounted.py) or an environment (drift.py, live.py, load.py, bench_echo.py)
// are exercised by their own suites.
const apps = ["api", "basic", "calculator", "chat", "errors_hidden", "image_to_3d", "media", "stateful", "text_to_image"].filter((name) =>
  existsSync(join(APPS_DIR, `${name}.py`)),
);

interface Config {
  version: string;
  api_prefix?: string;
  dependencies: { id: number; api_name: string | false | null; inputs: number[]; outputs: number[] }[];
  components: { id: number; type: string; skip_api?: boolean }[];
}
interface Info {
  named_endpoints: Record<string, { parameters: unknown[]; returns: unknown[] }>;
  unnamed_endpoints: Record<string, unknown>;
}

describe.skipIf(!hasGradio(version))(`test apps on gradio ${version}`, () => {
  it("finds the apps", () => {
    expect(apps).toEqual(expect.arrayContaining(["basic", "media", "chat", "stateful", "api", "errors_hidden"]));
  });

  it.each(apps)(
    "%s: /config and /info agree, stop() ends the process",
    async (name) => {
      const app = await startApp(name, { version });
      const pid = app.pid;
      try {
        expect(app.url).toBe(`http://127.0.0.1:${app.port}`);
        const cfgRes = await fetch(`${app.url}/config`);
        expect(cfgRes.status).toBe(200);
        const cfg = (await cfgRes.json()) as Config;
        expect(cfg.version).toBe(version);
        const major = Number(version.split(".")[0]);
        expect(cfg.api_prefix ?? "").toBe(major >= 5 ? "/gradio_api" : "");

        const infoRes = await fetch(`${app.url}${cfg.api_prefix ?? ""}/info`);
        expect(infoRes.status).toBe(200);
        const info = (await infoRes.json()) as Info;
        expect(info.unnamed_endpoints).toEqual({});
        const names = Object.keys(info.named_endpoints);
        expect(names.length).toBeGreaterThan(0);

        const comps = new Map(cfg.components.map((c) => [c.id, c]));
        for (const endpoint of names) {
          expect(endpoint.startsWith("/")).toBe(true);
          const deps = cfg.dependencies.filter((d) => d.api_name === endpoint.slice(1));
          expect(deps, `dependency for ${endpoint}`).toHaveLength(1);
          const dep = deps[0]!;
          // /info lists exactly the non-skip_api inputs/outputs of that dependency
          const visible = (ids: number[]) =>
            ids.filter((id) => {
              const c = comps.get(id);
              return c && !c.skip_api && c.type !== "state";
            }).length;
          const ep = info.named_endpoints[endpoint]!;
          expect(ep.parameters.length, `${endpoint} parameters`).toBe(visible(dep.inputs));
          expect(ep.returns.length, `${endpoint} returns`).toBe(visible(dep.outputs));
        }
      } finally {
        await app.stop();
      }
      expect(pidAlive(pid)).toBe(false);
      // the process group is gone too (kill(-pgid, 0) fails with ESRCH)
      expect(() => process.kill(-pid, 0)).toThrow();
      await expect(fetch(`${app.url}/config`)).rejects.toThrow();
      await app.stop(); // idempotent
    },
    120_000,
  );

  it("reports a crashing app with its stderr", async () => {
    await expect(startApp("basic", { version, env: { GRADIO_SERVER_PORT: "not-a-port" } })).rejects.toThrow(/exited[\s\S]*not-a-port|exited[\s\S]*ValueError/);
  }, 60_000);
});
