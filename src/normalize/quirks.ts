// Gradio's quirks: what its documents say in their own way, each as one named rule (normalize.ts and
// safe-schema.ts apply them). Every rule has a fixture in test/unit/quirks.test.ts ({ name, in, out }) and
// is listed in QUIRKS; a new quirk is one rule here, one fixture there, and one app in test/apps/.

import type { TrimmedConfig } from "../load/snapshot.js";
import { versionAtLeast } from "../shared/gradio-version.js";
import { isJsonObject } from "../shared/json.js";
import { ANY_STRING, FILE, type SafeSchema } from "./ir.js";

type Obj = Record<string, unknown>;
const hasOwn = (o: Obj, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Gradio i18n labels arrive as {"__type__": "translation_metadata", "key": ...}. */
export function labelText(v: unknown): string {
  if (typeof v === "string") return v;
  if (isJsonObject(v) && typeof v.key === "string") return v.key;
  return "";
}

/** A Slider's range is only in prose: its description says "numeric value between 0 and 100". */
export function sliderRange(description: unknown): { min: number; max: number } | null {
  if (typeof description !== "string") return null;
  const m = /numeric value between (\S+) and (\S+)/.exec(description);
  if (!m) return null;
  const min = Number(m[1]);
  const max = Number(m[2]!.replace(/[.,;]$/, ""));
  return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : null;
}

/**
 * A file value: Gradio's own rule (gradio_client.utils._is_file_schema), plus pre-`meta` 4.x FileData.
 * `deref` follows the `meta` property's $ref in the document being read.
 */
export function isFileSchema(node: Obj, deref: (node: Obj) => Obj = (n) => n): boolean {
  const props = node.properties;
  if (!isJsonObject(props) || !hasOwn(props, "path")) return false;
  if (hasOwn(props, "meta") && isJsonObject(props.meta)) {
    const meta = deref(props.meta);
    const metaProps = isJsonObject(meta.properties) ? meta.properties : {};
    const type = isJsonObject(metaProps._type) ? metaProps._type : {};
    const dflt = isJsonObject(meta.default) ? meta.default : isJsonObject(props.meta.default) ? props.meta.default : {};
    if (type.const === "gradio.FileData" || dflt._type === "gradio.FileData") return true;
  }
  return hasOwn(props, "url") && hasOwn(props, "orig_name") && hasOwn(props, "mime_type");
}

/**
 * gr.File's postprocess takes one path or a list whatever `file_count` says, and /info describes only the
 * declared case (one FileData, or a list for "multiple"): a File output is typed as either, declared case first.
 */
export function fileOutputSchema(component: string, schema: SafeSchema): SafeSchema {
  if (component !== "File" && component !== "Files") return schema;
  const list = schema.type === "array" && isJsonObject(schema.items) && schema.items[FILE] === true;
  if (schema[FILE] === true) return { anyOf: [schema, { type: "array", items: schema }] };
  if (list) return { anyOf: [schema, schema.items] };
  return schema;
}

/** Dropdowns with allow_custom_value=True (a /config component prop; /info lists their choices as an enum). */
export function customValueIds(config: TrimmedConfig): Set<number> {
  return new Set(config.components.filter((c) => c.allow_custom_value === true && c.type === "dropdown").map((c) => c.id));
}

/**
 * Such a Dropdown takes any string beside its choices: each list of choices in the schema (the value's, or
 * each item's for multiselect) becomes "one of them, or any other string".
 */
export function allowAnyString(schema: SafeSchema): SafeSchema {
  if (Array.isArray(schema.enum)) return { anyOf: [schema, { [ANY_STRING]: true }] };
  if (isJsonObject(schema.items)) return { ...schema, items: allowAnyString(schema.items) };
  return schema;
}

/** Components /info leaves out of an endpoint's parameters (gr.State, Buttons: `skip_api`): hidden slots, sent as null. */
export function hiddenSlotIds(config: TrimmedConfig | null): Set<number> {
  return new Set(config?.components.filter((c) => c.skip_api).map((c) => c.id) ?? []);
}

/** gr.State components: an endpoint that reads or writes one keeps its state per session, so each call runs in its own. */
export function stateIds(config: TrimmedConfig | null): Set<number> {
  return new Set(config?.components.filter((c) => c.type === "state").map((c) => c.id) ?? []);
}

/**
 * Before Gradio 6.27 a generator's runs in one session can spoil each other: the queue keeps a run's last values per
 * session under `id(iterator)` and forgets them only when the run completes, so a run that raised leaves them behind
 * and a later run whose iterator gets the freed address has its first value sent as a diff against them
 * (gradio-app/gradio#13811, fixed in 6.27.0). There the queue is asked for whole values (`simple_format`, which every
 * Gradio with the sse_v3 protocol reads), as its /call route gets them.
 */
export function wholeGeneratorValues(config: TrimmedConfig | null): boolean {
  // only the queue protocol has diffs, and it needs /config's dependency ids
  return config !== null && config.version !== null && !versionAtLeast(config.version, "6.27");
}

/**
 * Calls go through the queue by default when the app speaks the sse_v3 queue protocol (Gradio >= 4.22) and
 * /config gave every endpoint's fn_index and slot layout (`/call` drops error messages before Gradio 6.13).
 */
export function queueTransport(config: TrimmedConfig | null): boolean {
  return config !== null && config.protocol === "sse_v3";
}

/** Every rule, by name: quirks.test.ts holds a fixture for each. */
export const QUIRKS = {
  "i18n label": labelText,
  "Slider range from prose": sliderRange,
  "FileData rule": isFileSchema,
  "File output as one or a list": fileOutputSchema,
  "custom-value Dropdown ids": customValueIds,
  "custom-value Dropdown takes any string": allowAnyString,
  "State and Button as hidden slots": hiddenSlotIds,
  "State means a session per call": stateIds,
  "queue transport by default": queueTransport,
  "whole generator values before 6.27": wholeGeneratorValues,
} as const;
