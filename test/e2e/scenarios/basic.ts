// test/apps/basic.py through its generated bindings: scalars, choices, JSON, defaults, unicode, naming rules,
// no inputs / no outputs, errors with show_error=True. Every expected value is what basic.py computes.
import * as app from "@e2e/app";
import { eq, ok, rejectsWith, tag, type T } from "./_lib.ts";

export default async function basic(t: T): Promise<void> {
  await t.check("/echo_all", "four scalars in slot order", async () => {
    eq(await app.echoAll({ text: "hé 🎉", n: 7, x: 2.5, flag: true }), "hé 🎉|7|2.5|True");
    eq(await app.echoAll({ text: "b", n: -3, x: 0.125 }), "b|-3|0.125|False", "flag omitted → its default false");
  });
  await t.check("/types_of", "Number(precision=0) reaches Python as int, Number as float", async () => {
    eq(await app.typesOf({ text: "a", n: 3.7, x: 1.5, flag: false }), "str,int,float,bool");
  });
  await t.check("/scale", "sliders, with and without defaults", async () => {
    eq(await app.scale({ value: 3, factor: 4 }), 12);
    eq(await app.scale({ value: 2.5 }), 5, "factor defaults to 2");
    eq(await app.scale({}), 0, "value defaults to the minimum 0");
  });
  await t.check("/choices", "radio, dropdowns (single, multi, numeric, custom), checkbox group", async () => {
    const input: ChoicesInputOf = { radio: "green", single: "c", multi: ["z", "x"], numeric: 2, custom: "known", group: ["two", "three"] };
    const out = await app.choices(input);
    ok(out !== null && typeof out === "object", "a JSON object");
    const o = out as Record<string, unknown>;
    eq({ ...o, numeric: String(o.numeric) }, { ...input, numeric: "2" });
  });
  await t.check("/json_roundtrip", "JSON in and out", async () => {
    const obj = { b: [1, 2.5, null], a: "ü😀", n: { deep: true } };
    eq(await app.jsonRoundtrip({ obj }), {
      type: "dict",
      keys: ["a", "b", "n"],
      length: 3,
      echo: obj,
      dumped: '{"a": "ü😀", "b": [1, 2.5, null], "n": {"deep": true}}',
    });
    eq(await app.jsonRoundtrip({ obj: [3, "x"] }), { type: "list", keys: null, length: 2, echo: [3, "x"], dumped: '[3, "x"]' });
  });
  await t.check("/with_defaults", "omitted parameters get their schema defaults", async () => {
    eq(await app.withDefaults({}), "héllo|42|7|True|q");
    eq(await app.withDefaults({ n: 5, pick: "p", flag: false }), "héllo|5|7|False|p");
    eq(await app.withDefaults({ text: "x", n: 1, s: 99, flag: true, pick: "q" }), "x|1|99|True|q");
  });
  await t.check("/unicode_labels", "unicode in labels and values", async () => {
    const s = "añ😀名前";
    eq(await app.unicodeLabels({ text: s }), [...s].reverse().join(""));
  });
  await t.check("/ping", "no inputs", async () => {
    eq(await app.ping(), "pong");
    eq(await app.ping({}), "pong");
  });
  await t.check(["/sink", "/last_sink"], "no outputs resolves undefined; the value arrived", async () => {
    const v = `sunk-${t.runtime}-${tag()}`;
    eq(await app.sink({ text: v }), undefined);
    eq(await app.lastSink(), v);
  });
  await t.check(["/lambda", "/lambda_1", "/shout", "/shout_1", "/dup", "/dup_1", "/kebab-name"], "derived and duplicate names", async () => {
    eq(await app.lambda({ s: "a" }), "a-l1");
    eq(await app.lambda1({ s: "a" }), "a-l2");
    eq(await app.shout({ text: "hey" }), "HEY!");
    eq(await app.shout1({ text: "yo" }), "YO!");
    eq(await app.dup({ s: "d" }), "d-dup1");
    eq(await app.dup1({ s: "d" }), "d-dup2");
    eq(await app.kebabName({ s: "k" }), "k-kebab");
    eq(await app.endpoints["/kebab-name"]({ s: "m" }), "m-kebab", "endpoints map keyed by api_name");
    ok(!("/false" in app.endpoints) && !("/hidden" in app.endpoints), "api_name=False is not exported");
  });
  await t.check("/raise_gr_error", "gr.Error → SpaceError kind app (message on 6.x)", async () => {
    eq(await app.raiseGrError({ text: "" }), "no error");
    const e = await rejectsWith(app.SpaceError, app.raiseGrError({ text: "boom" }), "app");
    eq(e.endpoint, "/raise_gr_error", "endpoint");
    if (t.major >= 6) ok(e.message.includes("gr.Error says: boom"), `message: ${e.message}`);
  });
  await t.check("/raise_plain", "plain exception with show_error=True → kind app (message on 6.x)", async () => {
    eq(await app.raisePlain({ text: "" }), "no error");
    const e = await rejectsWith(app.SpaceError, app.raisePlain({ text: "boom" }), "app");
    if (t.major >= 6) ok(e.message.includes("plain ValueError: boom"), `message: ${e.message}`);
  });
  await t.check("/echo_all", "createClient binds options", async () => {
    const client = app.createClient({ headers: { "x-spacegen-test": "1" }, timeoutMs: 30_000 });
    eq(await client.echoAll({ text: "c", n: 1, x: 1 }), "c|1|1|False");
    ok(app.space.gradioVersion === t.version, "space.gradioVersion");
  });
}

type ChoicesInputOf = app.ChoicesInput;
