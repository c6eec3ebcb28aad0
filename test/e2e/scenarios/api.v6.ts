// api.py on Gradio 6.x: the Interface is named after its function (/calculator); gr.api endpoints exist.
import * as app from "@e2e/app";
import { eq, type T } from "./_lib.ts";
import { typedApi } from "./api.typed.ts";

export default async function variant(t: T): Promise<void> {
  await t.check("/calculator", "gr.Interface named after its function", async () => {
    eq(await app.calculator({ num1: 6, operation: "multiply", num2: 7 }), 42);
    eq(await app.calculator({ num1: 1, operation: "divide", num2: 4 }), 0.25);
    eq(await app.calculator({ num1: 1, operation: "subtract", num2: 4 }), -3);
  });
  await typedApi(t);
}
