// Recognising what a JSON document is before trusting it as an API description.
//
// Kinds (../shared/fixtures/README.md calls them A to D): "raw-info" = a raw /info; "view-api-dict" =
// gradio_client view_api(return_format="dict"), a raw /info without show_api/api_visibility;
// "js-client-view-api" = @gradio/client view_api() (types are strings); "gradio-3" = the Gradio 3.x era
// (serializer keys, dict-shaped parameters, names without a leading "/").

import { isJsonObject } from "../shared/json.js";

export type DocumentKind = "raw-info" | "view-api-dict" | "js-client-view-api" | "gradio-3";

export interface Classified {
  kind: DocumentKind;
  /** why the kind was chosen, for messages */
  reason: string;
}

/** Returns null when the value does not look like an API description at all. */
export function classifyInfo(doc: unknown): Classified | null {
  if (!isJsonObject(doc) || !isJsonObject(doc.named_endpoints)) return null;
  let sawVisibility = false;
  const groups = [doc.named_endpoints, isJsonObject(doc.unnamed_endpoints) ? doc.unnamed_endpoints : {}];
  for (const [g, group] of groups.entries()) {
    for (const [name, endpoint] of Object.entries(group)) {
      if (g === 0 && !name.startsWith("/")) return { kind: "gradio-3", reason: `endpoint name "${name.slice(0, 40)}" has no leading "/"` };
      if (!isJsonObject(endpoint)) continue;
      if (isJsonObject(endpoint.parameters) || isJsonObject(endpoint.returns))
        return { kind: "gradio-3", reason: "parameters are a dictionary, as in Gradio 3.x" };
      if (isJsonObject(endpoint.type) && ("generator" in endpoint.type || "cancel" in endpoint.type))
        return { kind: "js-client-view-api", reason: 'endpoints carry a "type": {generator, cancel} object' };
      for (const list of [endpoint.parameters, endpoint.returns]) {
        if (!Array.isArray(list)) continue;
        for (const p of list) {
          if (!isJsonObject(p)) continue;
          if ("serializer" in p) return { kind: "gradio-3", reason: 'parameters carry "serializer" keys, as in Gradio 3.x' };
          if (typeof p.type === "string") return { kind: "js-client-view-api", reason: 'parameter types are strings such as "string"' };
        }
      }
      if ("show_api" in endpoint || "api_visibility" in endpoint) sawVisibility = true;
    }
  }
  // A document with no endpoints at all is a valid (empty) raw /info.
  if (sawVisibility || Object.keys(doc.named_endpoints).length === 0) return { kind: "raw-info", reason: "raw /info" };
  return { kind: "view-api-dict", reason: "no show_api/api_visibility keys" };
}

export const HOW_TO_GET_INFO =
  "save the raw API description with `curl -o info.json <app-url>/gradio_api/info` (Gradio 4: `<app-url>/info`), or run `spacegen <app-url>` against the running app";

export function describeKind(kind: DocumentKind): string {
  switch (kind) {
    case "raw-info":
      return "a raw Gradio /info document";
    case "view-api-dict":
      return "a gradio_client view_api() dictionary (or a Gradio < 4.32 /info)";
    case "js-client-view-api":
      return "an @gradio/client view_api() result, whose types are strings and cannot be typed from";
    case "gradio-3":
      return "a Gradio 3.x API description, which has no /call endpoint";
  }
}
