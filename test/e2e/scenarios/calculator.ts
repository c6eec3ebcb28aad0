// test/apps/calculator.py (the app behind generated/calculator.ts and `npm run demo`).
import * as app from "@e2e/app";
import { eq, ok, rejectsWith, type T } from "./_lib.ts";

export default async function calculator(t: T): Promise<void> {
  await t.check("/calculator", "four operations, defaults, divide by zero", async () => {
    eq(await app.calculator({ num1: 6, operation: "multiply", num2: 7 }), 42);
    eq(await app.calculator({ num1: 1, operation: "divide", num2: 8 }), 0.125);
    eq(await app.calculator({ num1: 1, operation: "subtract", num2: 8 }), -7);
    eq(await app.calculator({}), 7, "defaults 3 add 4");
    const e = await rejectsWith(app.SpaceError, app.calculator({ num1: 1, operation: "divide", num2: 0 }), "app");
    if (t.major >= 6) ok(e.message.includes("Cannot divide by zero"), e.message);
  });
}
