// The pipeline after loading: snapshot → IR → module text → formatted module.

import { emitModule } from "./emit.js";
import { formatModule } from "./format.js";
import type { ApiIR } from "./ir.js";
import { normalize } from "./normalize.js";
import { loadRuntimeTemplate } from "./runtime-template.js";
import { serializeSnapshot, type Snapshot } from "./snapshot.js";
import { VERSION } from "./version.js";

export interface GenerateOptions {
  allEndpoints?: boolean;
  /** the command shown in the banner to regenerate the module */
  regenerate: string;
}

export interface Generated {
  ir: ApiIR;
  /** the formatted module */
  code: string;
  /** the snapshot file's text */
  snapshotText: string;
}

export async function generateModule(snapshot: Snapshot, options: GenerateOptions): Promise<Generated> {
  const runtime = await loadRuntimeTemplate();
  const ir = normalize(snapshot, {
    allEndpoints: options.allEndpoints ?? false,
    runtimeNames: runtime.valueNames,
    runtimeTypeNames: runtime.typeNames,
  });
  // The runtime is already formatted (runtime-template.ts); prettier formats the rest.
  const { head, api } = await emitModule(ir, { spacegenVersion: VERSION, regenerate: options.regenerate, runtime });
  const code = head + (await formatModule(api));
  return { ir, code, snapshotText: serializeSnapshot(snapshot) };
}
