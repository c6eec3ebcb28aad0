// Snapshot → IR. Endpoints keep document order (the wire order is the API); each is merged with its
// dependency's full slot layout from /config, so hidden gr.State/Button slots can be filled and dropped.

import type { ApiIR, EndpointIR, ParamIR, ReturnIR } from "./ir.js";
import { ModuleNames, parameterKeys, type IdentifierRules } from "./names.js";
import { UserError } from "../shared/errors.js";
import { LIMITS } from "../shared/limits.js";
import {
  allowAnyString,
  customValueIds,
  fileOutputSchema,
  hiddenSlotIds,
  labelText,
  queueTransport,
  sliderRange,
  stateIds as stateIdsOf,
  wholeGeneratorValues,
} from "./quirks.js";
import { sanitizeSchema, schemaBudget, type SchemaBudget } from "./safe-schema.js";
import { schemaHash, type Snapshot, type TrimmedConfig } from "../load/snapshot.js";
import { isJsonObject, RawNumber, stringifyJson } from "../shared/json.js";
import { versionAtLeast } from "../shared/gradio-version.js";

export interface NormalizeOptions {
  /** include endpoints that /info marks undocumented (api_visibility "undocumented", show_api false) */
  allEndpoints?: boolean;
  /** top-level names the runtime declares (reserved in the module scope) */
  runtimeNames: readonly string[];
  /** type names the runtime declares */
  runtimeTypeNames: readonly string[];
  /** which characters identifiers may use (default: the engine's Unicode tables) */
  identifiers?: IdentifierRules;
}

type Obj = Record<string, unknown>;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = (v: unknown): string => (typeof v === "string" ? v : "");

function visibilityOf(endpoint: Obj): "public" | "undocumented" | "private" {
  if (endpoint.api_visibility === "private") return "private";
  if (endpoint.api_visibility === "undocumented" || endpoint.show_api === false) return "undocumented";
  return "public";
}

function toParam(raw: unknown, index: number, warnings: string[], where: string, budget: SchemaBudget): ParamIR {
  const p = isJsonObject(raw) ? raw : {};
  if (!isJsonObject(raw)) warnings.push(`${where}: parameter ${index} is not an object; typed as unknown`);
  const { schema, files, inexact } = sanitizeSchema(p.type, budget);
  const pythonType = isJsonObject(p.python_type) ? p.python_type : {};
  const label = labelText(p.label);
  const typeDescription = isJsonObject(p.type) ? p.type.description : undefined;
  const hasDefault = p.parameter_has_default === true;
  const note = inexactNote(inexact);
  if (note) warnings.push(`${where}: parameter ${index}: ${note}`);
  const inexactDefault = hasDefault ? rawNumbersIn(p.parameter_default) : [];
  if (inexactDefault.length > 0)
    warnings.push(
      `${where}: parameter ${index}: its default holds ${inexactDefault.join(", ")}, an integer a JavaScript number cannot hold exactly; a call that leaves it out sends ${inexactDefault.map((d) => String(Number(d))).join(", ")}`,
    );
  // a file's description is Gradio's Python wording ("A local filepath or publicly available URL", the
  // FileData docstring), wrong for a TypeScript caller: the emitter documents what a file input accepts
  const description = files === 1 ? "" : text(pythonType.description) || text(isJsonObject(p.type) ? p.type.additional_description : "");
  return {
    key: typeof p.parameter_name === "string" && p.parameter_name !== "" ? p.parameter_name : "",
    label,
    component: text(p.component),
    schema,
    files,
    hasDefault,
    default: hasDefault ? (p.parameter_default ?? null) : undefined,
    hasExample: "example_input" in p,
    example: p.example_input,
    description: [description, note && `Note: ${note}.`].filter(Boolean).join(" "),
    range: sliderRange(typeDescription) ?? sliderRange(pythonType.description),
    customValues: false,
  };
}

/** The digits of every integer in a value that a JavaScript number cannot hold (RawNumber, from parseJson). */
function rawNumbersIn(value: unknown, depth = 0): string[] {
  if (value instanceof RawNumber) return [value.digits];
  if (depth > 64 || value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap((v) => rawNumbersIn(v, depth + 1));
}

/** What to say about choices a JavaScript number cannot hold; "" when there are none. */
function inexactNote(inexact: string[]): string {
  if (inexact.length === 0) return "";
  const shown = inexact.slice(0, 3).join(", ") + (inexact.length > 3 ? `, and ${inexact.length - 3} more` : "");
  return `the choice${inexact.length > 1 ? "s" : ""} ${shown} ${inexact.length > 1 ? "are integers" : "is an integer"} a JavaScript number cannot hold exactly, so ${inexact.length > 1 ? "they are" : "it is"} typed as number`;
}

function toReturn(raw: unknown, index: number, warnings: string[], where: string, budget: SchemaBudget): ReturnIR {
  const r = isJsonObject(raw) ? raw : {};
  const sanitized = sanitizeSchema(r.type, budget);
  const note = inexactNote(sanitized.inexact);
  if (note) warnings.push(`${where}: return ${index}: ${note}`);
  const schema = fileOutputSchema(text(r.component), sanitized.schema);
  const { files } = sanitized;
  const pythonType = isJsonObject(r.python_type) ? r.python_type : {};
  return {
    label: labelText(r.label),
    component: text(r.component),
    schema,
    files,
    description: text(pythonType.description),
  };
}

/** Lays the visible items over the dependency's slots; hidden components become null. */
function layout<T>(ids: number[] | undefined, visible: T[], hidden: (id: number) => boolean, warnings: string[], where: string): (T | null)[] {
  if (!ids) return visible;
  const visibleSlots = ids.filter((id) => !hidden(id)).length;
  if (visibleSlots !== visible.length) {
    warnings.push(`${where}: /config lists ${visibleSlots} visible slots but /info lists ${visible.length}; hidden slots ignored`);
    return visible;
  }
  let next = 0;
  return ids.map((id) => (hidden(id) ? null : visible[next++]!));
}

/** Dropdowns that take any string (quirks.ts): their schema is widened and they are marked for the docs. */
function markCustomValues(slots: (ParamIR | null)[], ids: number[], config: TrimmedConfig): void {
  const custom = customValueIds(config);
  slots.forEach((param, i) => {
    if (!param || !custom.has(ids[i]!)) return;
    param.customValues = true;
    param.schema = allowAnyString(param.schema);
  });
}

/** The counts of limits.ts: past one, the document is refused before any work is done on it. */
function checkBounds(snapshot: Snapshot, named: Obj, dependencies: Map<string, TrimmedConfig["dependencies"][number]>): void {
  const refuse = (what: string, count: number, max: number) => {
    throw new UserError(`the app has ${count} ${what}, more than ${max} (spacegen's limit for one app); refusing to generate from it`);
  };
  const endpoints = Object.values(named);
  if (endpoints.length > LIMITS.endpoints) refuse("endpoints", endpoints.length, LIMITS.endpoints);
  let slots = 0;
  for (const e of endpoints) if (isJsonObject(e)) for (const list of [e.parameters, e.returns]) if (Array.isArray(list)) slots += list.length;
  if (slots > LIMITS.slots) refuse("parameters and returns", slots, LIMITS.slots);
  const config = snapshot.config;
  if (config && config.components.length > LIMITS.components) refuse("components", config.components.length, LIMITS.components);
  if (config && config.dependencies.length > LIMITS.dependencies) refuse("event listeners", config.dependencies.length, LIMITS.dependencies);
  let wire = 0;
  for (const name of Object.keys(named)) {
    const d = dependencies.get(name.replace(/^\//, ""));
    if (d) wire += d.inputs.length + d.outputs.length;
  }
  if (wire > LIMITS.wireSlots) refuse("input and output slots in its event listeners", wire, LIMITS.wireSlots);
}

export function normalize(snapshot: Snapshot, options: NormalizeOptions): ApiIR {
  const named = isJsonObject(snapshot.info.named_endpoints) ? snapshot.info.named_endpoints : {};
  const config: TrimmedConfig | null = snapshot.config;
  // The first dependency of each api_name, as the document lists them (a map: one lookup per endpoint).
  const dependencies = new Map<string, TrimmedConfig["dependencies"][number]>();
  for (const d of config?.dependencies ?? []) if (d.api_name !== null && !dependencies.has(d.api_name)) dependencies.set(d.api_name, d);
  checkBounds(snapshot, named, dependencies);
  const budget = schemaBudget(stringifyJson(snapshot.info, 0).length);
  const warnings = [...snapshot.notes];
  const hiddenIds = hiddenSlotIds(config);
  const hidden = (id: number) => hiddenIds.has(id);
  const stateIds = stateIdsOf(config);
  const names = new ModuleNames(options.runtimeNames, options.runtimeTypeNames, options.identifiers);

  const endpoints: EndpointIR[] = [];
  for (const [apiName, rawEndpoint] of Object.entries(named)) {
    if (!isJsonObject(rawEndpoint)) {
      warnings.push(`${apiName}: not an object; skipped`);
      continue;
    }
    const visibility = visibilityOf(rawEndpoint);
    if (visibility === "private" || (visibility === "undocumented" && !options.allEndpoints)) continue;
    const wireName = apiName.replace(/^\//, "");
    // Skipped rather than refused: no client can call these (the URL would name another route), and the
    // rest of the app stays usable. "." and ".." are dot segments, which every URL parser resolves away.
    if (wireName === "" || wireName === "." || wireName === "..") {
      warnings.push(`${JSON.stringify(apiName)}: an empty or dot-segment name cannot be called through /call (the URL would name another route); skipped`);
      continue;
    }
    if (wireName.includes("/")) {
      warnings.push(`${JSON.stringify(apiName)}: a name with "/" cannot be called through /call; skipped`);
      continue;
    }
    if (LONE_SURROGATE.test(wireName)) {
      // encodeURIComponent throws on it: the endpoint could never be called.
      warnings.push(`${JSON.stringify(apiName)}: a name that is not well-formed Unicode cannot be put in a URL; skipped`);
      continue;
    }
    const where = `endpoint ${JSON.stringify(apiName)}`;
    const params = (Array.isArray(rawEndpoint.parameters) ? rawEndpoint.parameters : []).map((p, i) => toParam(p, i, warnings, where, budget));
    parameterKeys(params, (message) => warnings.push(`${where}: ${message}`));
    const returns = (Array.isArray(rawEndpoint.returns) ? rawEndpoint.returns : []).map((r, i) => toReturn(r, i, warnings, where, budget));
    const dependency = dependencies.get(wireName);
    if (config && !dependency) warnings.push(`${where}: no dependency in /config; hidden slots unknown`);

    const endpointNames = names.endpoint(
      wireName,
      returns.map((r) => r.label),
    );

    const inputSlots = layout(dependency?.inputs, params, hidden, warnings, where);
    if (dependency && inputSlots !== params) markCustomValues(inputSlots, dependency.inputs, config!);

    endpoints.push({
      apiName,
      wireName,
      ...endpointNames,
      description: text(rawEndpoint.description),
      visibility,
      fnIndex: dependency?.id ?? -1,
      generator: dependency ? dependency.generator : null,
      stateful: !!dependency && [...dependency.inputs, ...dependency.outputs].some((id) => stateIds.has(id)),
      inputSlots,
      outputSlots: layout(dependency?.outputs, returns, hidden, warnings, where),
      params,
      returns,
    });
  }

  const version = snapshot.gradioVersion;
  return {
    space: {
      id: snapshot.source.space,
      url: snapshot.source.url,
      apiPrefix: config ? config.api_prefix : (snapshot.apiPrefix ?? (versionAtLeast(version, "5.0") ? "/gradio_api" : "")),
      gradioVersion: version,
      schemaHash: schemaHash(snapshot),
    },
    hasSlotLayout: config !== null,
    canCancel: versionAtLeast(version, "4.31"),
    queue: queueTransport(config),
    wholeValues: wholeGeneratorValues(config),
    endpoints,
    warnings,
  };
}
