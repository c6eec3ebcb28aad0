// The snapshot: what a module was generated from, saved beside it as <module>.schema.json.
// It keeps only the parts of /config and /info the generator reads, so that regenerating from it
// offline gives the same bytes, and so that per-launch noise (app_id, root URLs, code snippets)
// never shows up as drift.

import { createHash } from "node:crypto";
import { UserError } from "../shared/errors.js";
import { isJsonObject, setOwn, stringifyJson } from "../shared/json.js";

export const SNAPSHOT_FORMAT = 1;

interface SnapshotSource {
  /** Hugging Face Space id, when the source was one */
  space: string | null;
  /** root URL of the app the module calls */
  url: string;
  /** module name used for `<out>/<name>.ts` when the source is not a Space id */
  name: string;
}

/** The subset of GET /config that spacegen uses. */
export interface TrimmedConfig {
  version: string | null;
  api_prefix: string;
  protocol: string | null;
  /** `allow_custom_value` is present (true) only on components that accept values beside their choices */
  components: { id: number; type: string; skip_api: boolean; allow_custom_value?: true }[];
  dependencies: {
    id: number;
    api_name: string | null;
    inputs: number[];
    outputs: number[];
    generator: boolean;
    visibility: "public" | "undocumented" | "private";
  }[];
}

export interface Snapshot {
  spacegen: number;
  source: SnapshotSource;
  gradioVersion: string | null;
  /** null when generated from a raw /info document: hidden slots and generator flags are unknown */
  config: TrimmedConfig | null;
  /** the API prefix found by probing when /config was unavailable; null when unknown */
  apiPrefix: string | null;
  /** the /info document, without code_snippets */
  info: Record<string, unknown>;
  /** warnings raised while loading (kept so a regeneration from the snapshot repeats them) */
  notes: string[];
}

type Obj = Record<string, unknown>;

/**
 * The one rule for an API prefix (a Space's /config says it, so it is untrusted): "" or "/" followed by path
 * segments of [A-Za-z0-9._~-], none empty, "." or "..". It is pasted between the app's root and every route,
 * so anything else ("@evil:port", ".evil.example", "9", "//host", "?", "#", "\\") could move every request,
 * with the token and the login cookie, to another host. The runtime keeps its own copy (templates/runtime.ts).
 */
const API_PREFIX = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._~-]+)*$/;

function isApiPrefix(prefix: string): boolean {
  return prefix.length <= 200 && API_PREFIX.test(prefix);
}

/** Throws the one-line refusal for a prefix that breaks the rule. */
export function checkApiPrefix(prefix: string, where: string): string {
  if (!isApiPrefix(prefix))
    throw new UserError(
      `${where}: api_prefix ${JSON.stringify(prefix.slice(0, 80))} is not a URL path ("" or /segments of letters, digits and . _ ~ -); refusing it, since it could send requests to another host`,
    );
  return prefix;
}

const ints = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : []);

/** Keeps what the generator needs from a raw /config. Tolerates missing or mistyped fields. */
export function trimConfig(config: Obj): TrimmedConfig {
  const components = Array.isArray(config.components) ? config.components.filter(isJsonObject) : [];
  const dependencies = Array.isArray(config.dependencies) ? config.dependencies.filter(isJsonObject) : [];
  return {
    version: typeof config.version === "string" ? config.version : null,
    api_prefix: typeof config.api_prefix === "string" ? config.api_prefix : "",
    protocol: typeof config.protocol === "string" ? config.protocol : null,
    components: components
      .filter((c) => Number.isInteger(c.id))
      .map((c) => ({
        id: c.id as number,
        type: typeof c.type === "string" ? c.type : "",
        skip_api: c.skip_api === true || c.type === "state",
        // a raw /config has it in props; a snapshot's trimmed config (trimmed again on load) at the top
        ...((c.allow_custom_value === true || (isJsonObject(c.props) && c.props.allow_custom_value === true)) && { allow_custom_value: true as const }),
      })),
    dependencies: dependencies.map((d, index) => {
      const types = isJsonObject(d.types) ? d.types : {};
      const visibility =
        d.api_visibility === "private" || d.api_name === false || d.backend_fn === false
          ? "private"
          : d.api_visibility === "undocumented" || d.show_api === false
            ? "undocumented"
            : "public";
      return {
        id: Number.isInteger(d.id) ? (d.id as number) : index,
        api_name: typeof d.api_name === "string" ? d.api_name : null,
        inputs: ints(d.inputs),
        outputs: ints(d.outputs),
        generator: types.generator === true,
        visibility,
      };
    }),
  };
}

/** /info without the parts that vary per launch or that spacegen ignores. */
export function trimInfo(info: Obj): Obj {
  const out: Obj = {};
  // setOwn: a document's own "__proto__" key stays data (an assignment would change the copy's prototype).
  for (const [key, value] of Object.entries(info)) {
    if (key !== "named_endpoints" || !isJsonObject(value)) {
      setOwn(out, key, value);
      continue;
    }
    const endpoints: Obj = {};
    for (const [name, ep] of Object.entries(value)) {
      if (!isJsonObject(ep)) {
        setOwn(endpoints, name, ep);
        continue;
      }
      const { code_snippets: _drop, ...rest } = ep;
      setOwn(endpoints, name, rest);
    }
    setOwn(out, key, endpoints);
  }
  return out;
}

/** Hash of what the module's code depends on (not where it was loaded from). */
export function schemaHash(snapshot: Snapshot): string {
  const text = stringifyJson({ config: snapshot.config, info: snapshot.info }, 0);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return stringifyJson(snapshot) + "\n";
}

/** Whether a parsed JSON document is a spacegen snapshot (as opposed to a raw /info). */
export function isSnapshot(doc: unknown): doc is Snapshot {
  return isJsonObject(doc) && typeof doc.spacegen === "number" && isJsonObject(doc.info) && isJsonObject(doc.source);
}
