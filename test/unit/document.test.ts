import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyInfo } from "../../src/load/document-kind.ts";
import { decodeText, parseJson } from "../../src/shared/json.ts";
import { sharedFixtures } from "../support/paths.ts";

// The kinds the fixtures README gives for each third-party document.
const expected: Record<string, "A" | "B" | "C" | "D"> = {
  "chirag-deshwal_cloths_vtryon_app__idm-vton-tryon.json": "A",
  "adlabsoffice_AD_LABS__local-tts-voice-clone.json": "A",
  "Shreyas126-tech_vaniverse_AI__musicgen-style-space.json": "B",
  "gunebakansercan-png_Studio-Pro-V11__hunyuan3d-2-utf8bom.json": "A",
  "gunebakansercan-png_Studio-Pro-V11__hunyuan3d-2-utf16le.json": "A",
  "Tharunk043_PersonaAI__image-to-video-jsclient-view_api.json": "C",
  "mazeasdamien_RobotControllerApp__orient-anything.json": "A",
  "unattributed__z-image-lora-gallery-gradio6.json": "A",
  "unattributed__z-image-panorama-gradio5.json": "A",
  "gradio-app_gradio__js-test-hello-world-jsclient-transformed.json": "C",
  "gradio-app_gradio__calculator-local-demo-gradio6.json": "B",
  "gradio-app_gradio__hello-world-state-accordion-gradio6.json": "B",
  "gradio-app_gradio__hello-world-group-empty-endpoint-gradio6.json": "B",
  "gradio-app_gradio__calculator-fixed-version-space-gradio4.json": "B",
  "gradio-app_gradio__titanic-survival-gradio3-serializer.json": "D",
  "gradio-app_gradio__private-space-unnamed-fn-index-2-clientv0.1.json": "D",
};

describe("classifyInfo", () => {
  it.each(Object.entries(expected))("%s is kind %s", (file, kind) => {
    const doc = parseJson(decodeText(readFileSync(resolve(sharedFixtures, "third-party-info", file))), file);
    const got = classifyInfo(doc)!.kind;
    // A 4.27 raw /info has no show_api either, so A-without-visibility reads as B; both are accepted.
    if (kind === "A" || kind === "B") expect(["A", "B"]).toContain(got);
    else expect(got).toBe(kind);
  });
  it("tells A from B by the visibility keys", () => {
    expect(classifyInfo({ named_endpoints: { "/x": { parameters: [], returns: [], api_visibility: "public" } } })!.kind).toBe("A");
    expect(classifyInfo({ named_endpoints: { "/x": { parameters: [], returns: [] } } })!.kind).toBe("B");
  });
  it("returns null for things that are not API documents", () => {
    expect(classifyInfo([])).toBeNull();
    expect(classifyInfo({ endpoints: {} })).toBeNull();
    expect(classifyInfo("x")).toBeNull();
  });
});
