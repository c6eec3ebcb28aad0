// Lint for the project's own TypeScript and scripts (`npm run lint`, run by CI before the tests).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

// The globals of Node >= 20 that the scripts use (the `globals` package is not a dependency).
const NODE_GLOBALS = [
  "AbortController",
  "AbortSignal",
  "Blob",
  "Buffer",
  "clearInterval",
  "clearTimeout",
  "console",
  "fetch",
  "File",
  "FormData",
  "Headers",
  "performance",
  "process",
  "queueMicrotask",
  "ReadableStream",
  "Request",
  "Response",
  "setImmediate",
  "setInterval",
  "setTimeout",
  "structuredClone",
  "TextDecoder",
  "TextEncoder",
  "URL",
  "URLSearchParams",
];

export default defineConfig(
  globalIgnores([
    // Generated or captured: compared byte for byte, never edited by hand.
    "generated/**",
    "dist/**",
    "test/goldens/*/**",
    "test/evidence/**",
    "test/**/.tmp/**",
    "test/**/.generated/**",
    "**/.cache/**",
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // `_` names a value taken apart on purpose (a rest destructure, a loop that only counts).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Tests read JSON documents and vitest mocks typed `any` on purpose; the no-unsafe-* family would ask for a
    // cast at each of ~350 reads without catching a bug. Every other type-checked rule holds.
    files: ["test/**", "bench/**", "scripts/**"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Modules generated at test time are imported untyped (`let m: any`), and fake fetches are async without awaiting.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/require-await": "off",
    },
  },
  // Files outside tsconfig.json's program: plain JavaScript, and the e2e scenarios (compiled per Gradio version
  // against modules generated at test time) get the rules that need no types.
  { files: ["**/*.mjs", "**/*.js", "test/e2e/scenarios/**", "vitest.config.ts"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: Object.fromEntries(NODE_GLOBALS.map((name) => [name, "readonly"])) },
  },
);
