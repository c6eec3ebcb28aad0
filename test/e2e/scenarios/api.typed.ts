// The gr.api endpoints (Gradio 5.x and 6.x only), typed from Python hints. Imported by api.v5.ts and api.v6.ts,
// so it is type-checked against those versions' modules only.
import * as app from "@e2e/app";
import { eq, type T } from "./_lib.ts";

export async function typedApi(t: T): Promise<void> {
  await t.check("/typed_add", "int + float; the Python default is sent when omitted", async () => {
    eq(await app.typedAdd({ a: 2 }), 4.5);
    eq(await app.typedAdd({ a: 1, b: 0.25 }), 1.25);
  });
  await t.check("/typed_mix", "List, Literal, Optional, Dict parameters", async () => {
    eq(await app.typedMix({ words: ["a", "B"], mode: "lower", sep: "-", weights: { x: 1.5, y: 2 } }), { joined: "a-b", count: 2, weight: 3.5 });
    eq(await app.typedMix({ words: ["a", "b"] }), { joined: "A B", count: 2, weight: 0 });
    eq(await app.typedMix({ words: [], sep: null }), { joined: "", count: 0, weight: 0 });
  });
  await t.check("/typed_pair", "a Tuple return is a labelled tuple", async () => {
    const [doubled, described] = await app.typedPair({ x: 4, flag: true });
    eq([doubled, described], [8, "4:True"]);
  });
}
