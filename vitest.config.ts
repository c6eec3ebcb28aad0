import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: real Gradio servers start in the e2e files, so keep parallelism modest.
    maxWorkers: 2,
    pool: "forks",
  },
});
