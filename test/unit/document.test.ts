import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyInfo } from "../../src/load/document-kind.ts";
import { decodeText, parseJson } from "../../src/shared/json.ts";
import { sharedFixtures } from "../support/paths.ts";

// The kinds the fixtures README gives for each third-party document.
const expected: Record<string, "raw-info" | "view-api-dict" | "js-client-view-api" | "gradio-3"> = {
  "chirag-deshwal_cloths_vtryon_app__idm-vton-tryon.json": "raw-info",
  "adlabsoffice_AD_LABS__local-tts-voice-clone.json": "raw-info",
  "Shreyas126-tech_vaniverse_AI__musicgen-style-space.json": "view-api-dict",
  "gunebakansercan-png_Studio-Pro-V11__hunyuan3d-2-utf8bom.json": "raw-info",
  "gunebakansercan-png_Studio-Pro-V11__hunyuan3d-2-utf16le.json": "raw-info",
  "Tharunk043_PersonaAI__image-to-video-jsclient-view_api.json": "js-client-view-api",
  "mazeasdamien_RobotControllerApp__orient-anything.json": "raw-info",
  "unattributed__z-image-lora-gallery-gradio6.json": "raw-info",
  "unattributed__z-image-panorama-gradio5.json": "raw-info",
  "gradio-app_gradio__js-test-hello-world-jsclient-transformed.json": "js-client-view-api",
  "gradio-app_gradio__calculator-local-demo-gradio6.json": "view-api-dict",
  "gradio-app_gradio__hello-world-state-accordion-gradio6.json": "view-api-dict",
  "gradio-app_gradio__hello-world-group-empty-endpoint-gradio6.json": "view-api-dict",
  "gradio-app_gradio__calculator-fixed-version-space-gradio4.json": "view-api-dict",
  "gradio-app_gradio__titanic-survival-gradio3-serializer.json": "gradio-3",
  "gradio-app_gradio__private-space-unnamed-fn-index-2-clientv0.1.json": "gradio-3",
};

describe("classifyInfo", () => {
  it.each(Object.entries(expected))("%s is kind %s", (file, kind) => {
    const doc = parseJson(decodeText(readFileSync(resolve(sharedFixtures, "third-party-info", file))), file);
    const got = classifyInfo(doc)!.kind;
    // A 4.27 raw /info has no show_api either, so it reads as a view_api() dictionary; both are accepted.
    if (kind === "raw-info" || kind === "view-api-dict") expect(["raw-info", "view-api-dict"]).toContain(got);
    else expect(got).toBe(kind);
  });
  it("tells a raw /info from a view_api() dictionary by the visibility keys", () => {
    expect(classifyInfo({ named_endpoints: { "/x": { parameters: [], returns: [], api_visibility: "public" } } })!.kind).toBe("raw-info");
    expect(classifyInfo({ named_endpoints: { "/x": { parameters: [], returns: [] } } })!.kind).toBe("view-api-dict");
  });
  it("returns null for things that are not API documents", () => {
    expect(classifyInfo([])).toBeNull();
    expect(classifyInfo({ endpoints: {} })).toBeNull();
    expect(classifyInfo("x")).toBeNull();
  });
});
