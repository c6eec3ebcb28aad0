// test/apps/api.py: a gr.Interface (default api_name differs by version) and gr.api endpoints typed from
// Python hints (5.x/6.x only). The version-specific part is scenarios/api.v<major>.ts ("@e2e/variant").
import * as app from "@e2e/app";
import variant from "@e2e/variant";
import { eq, type T } from "./_lib.ts";

export default async function api(t: T): Promise<void> {
  await t.check("/version_tag", "a Blocks event; the server's gradio version", async () => {
    eq(await app.versionTag({ prefix: "v" }), `v${app.space.gradioVersion}`);
  });
  await variant(t);
}
