// test/apps/errors_hidden.py (show_error=False): gr.Error keeps its message, a plain exception's is hidden.
import * as app from "@e2e/app";
import { eq, ok, rejectsWith, type T } from "./_lib.ts";

export default async function errorsHidden(t: T): Promise<void> {
  await t.check("/raise_gr_error", "gr.Error → kind app; its message arrives on every version (before 6.13 through the queue)", async () => {
    eq(await app.raiseGrError({ text: "" }), "no error");
    const e = await rejectsWith(app.SpaceError, app.raiseGrError({ text: "shown" }), "app");
    // Gradio before 6.13 drops the message from /call's stream: forced through "call", the error says so instead
    const minor = Number(t.version.split(".")[1]);
    if (t.transport === "call" && (t.major < 6 || (t.major === 6 && minor < 13)))
      ok(e.message.includes("sends no message over /call"), `message: ${e.message}`);
    else ok(e.message.includes("gr.Error says: shown"), `message: ${e.message}`);
  });
  await t.check("/raise_plain", "plain exception with show_error=False → kind app without the Python message", async () => {
    eq(await app.raisePlain({ text: "" }), "no error");
    const e = await rejectsWith(app.SpaceError, app.raisePlain({ text: "secret" }), "app");
    ok(!e.message.includes("secret"), `the hidden message leaked: ${e.message}`);
  });
  await t.check("/count_then_plain", "generator: values, then the hidden failure", async () => {
    const seen: unknown[] = [];
    await rejectsWith(
      app.SpaceError,
      async () => {
        for await (const v of app.countThenPlain.stream({ n: 3 })) seen.push(v);
      },
      "app",
    );
    eq(seen, ["step 0", "step 1", "step 2"], "values before the failure");
  });
}
