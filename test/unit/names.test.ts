import { describe, expect, it } from "vitest";
import { camelCase, isIdentifierName, labelName, moduleScope, NameAllocator, propertyKey } from "../../src/normalize/names.ts";

describe("camelCase (function names from api_name)", () => {
  it.each([
    ["predict", "predict"],
    ["predict_1", "predict1"],
    ["_inner", "inner"],
    ["_fetch_user_history_1", "fetchUserHistory1"],
    ["lambda", "lambda"],
    ["générer-image", "générerImage"],
    ["画像生成", "画像生成"],
    ["3d", "endpoint3d"],
    ["🎨 paint", "paint"],
    ["🎨", "endpoint"],
    ["a.b c", "aBC"],
  ])("%s → %s", (input, output) => {
    expect(camelCase(input)).toBe(output);
    expect(isIdentifierName(camelCase(input))).toBe(true);
  });
});

describe("NameAllocator", () => {
  it("suffixes reserved words and collisions deterministically", () => {
    const scope = moduleScope(["endpoint", "bind"]);
    expect(scope.allocate("delete")).toBe("delete_");
    expect(scope.allocate("space")).toBe("space_2");
    expect(scope.allocate("endpoint")).toBe("endpoint_2");
    expect(scope.allocate("fetch")).toBe("fetch_2");
    expect(scope.allocate("predict")).toBe("predict");
    expect(scope.allocate("predict")).toBe("predict_2");
    expect(scope.allocate("predict")).toBe("predict_3");
  });
  it("honours an acceptance test", () => {
    const types = new NameAllocator(["FileInput"]);
    expect(types.allocate("File", (n) => !types.isTaken(`${n}Input`))).toBe("File_2");
  });
});

describe("propertyKey", () => {
  it.each([
    ["text", "text"],
    ["a-b", '"a-b"'],
    ["__proto__", "__proto__"],
    ["with space", '"with space"'],
    ['q"uote', '"q\\"uote"'],
    ["", '""'],
  ])("%s → %s", (key, out) => expect(propertyKey(key)).toBe(out));
});

describe("labelName", () => {
  it.each([
    ["AI Model", "aiModel"],
    ["Top-p", "topP"],
    ["3D model", "value3DModel"],
  ])("%s → %s", (label, out) => expect(labelName(label)).toBe(out));
});
