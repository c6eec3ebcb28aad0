// The ES module half of record-loads.mjs (module hooks run in their own thread).
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOAD_RECORD, `${resolved.url}\n`);
  return resolved;
}
