// api.py on Gradio 5.x: the Interface is /predict; gr.api endpoints exist.
import * as app from "@e2e/app";
import { eq, type T } from "./_lib.ts";
import { typedApi } from "./api.typed.ts";

export default async function variant(t: T): Promise<void> {
  await t.check("/predict", "gr.Interface default name /predict", async () => {
    eq(await app.predict({ num1: 6, operation: "multiply", num2: 7 }), 42);
    eq(await app.predict({ num1: 1, operation: "divide", num2: 4 }), 0.25);
  });
  await typedApi(t);
}
