// api.py on Gradio 4.x: the Interface is /predict; gr.api does not exist, so the app serves no typed endpoints.
import * as app from "@e2e/app";
import { eq, ok, type T } from "./_lib.ts";

export default async function variant(t: T): Promise<void> {
  await t.check("/predict", "gr.Interface default name /predict", async () => {
    eq(await app.predict({ num1: 6, operation: "multiply", num2: 7 }), 42);
    eq(await app.predict({ num1: 1, operation: "divide", num2: 4 }), 0.25);
    ok(!("/typed_add" in app.endpoints), "no gr.api endpoints on 4.x");
  });
  t.skip(
    ["/typed_add", "/typed_mix", "/typed_pair"],
    "gr.api endpoints",
    "gradio 4.44 has no gr.api: api.py registers them only when hasattr(gr, 'api'), so they are not in the module",
  );
}
