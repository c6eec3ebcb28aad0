// Python's NaN, Infinity and -Infinity in /call data (Gradio writes json.dumps there; issue 14, class 5): read as
// null outside strings, as the queue route writes them; strings that spell them stay intact.
import { describe, expect, test } from "vitest";
import { nonFiniteAsNull, parseJson, SpaceError, sse } from "../../templates/runtime.ts";

const PARSED: [string, unknown][] = [
  ["[NaN]", [null]],
  ["[Infinity, -Infinity, -1, -1.5e3, 2E-2]", [null, null, -1, -1500, 0.02]],
  // a Dataframe with an empty cell, as Gradio 6.31 sent it (differential suite, tables/echo_table)
  [
    '[{"headers": ["a", "b"], "data": [[1.0, "x"], [NaN, NaN]], "metadata": null}]',
    [
      {
        headers: ["a", "b"],
        data: [
          [1, "x"],
          [null, null],
        ],
        metadata: null,
      },
    ],
  ],
  ['{"NaN": NaN, "Infinity": [Infinity]}', { NaN: null, Infinity: [null] }],
  ['["NaN", "Infinity", "-Infinity", NaN]', ["NaN", "Infinity", "-Infinity", null]],
  ['["say \\"NaN\\" twice", NaN]', ['say "NaN" twice', null]],
  ['["\\\\", NaN, "\\\\\\"Infinity"]', ["\\", null, '\\"Infinity']],
  ['["\\u00e9 NaN \\ud83d\\ude00", -Infinity]', ["é NaN 😀", null]],
  ["[NaN,NaN,Infinity]", [null, null, null]],
  ['"NaN"', "NaN"],
];

const MALFORMED = ["[nan]", "[NaNa]", "[Infinityx]", '["open, NaN', "[-NaN]", "[NaN", "[1, oops]", "Infinit"];

describe("non-finite numbers", () => {
  test.each(PARSED)("%s", (text, value) => {
    expect(parseJson(text)).toEqual(value);
  });

  test.each(MALFORMED)("%s stays malformed (a protocol error)", (text) => {
    expect(() => parseJson(text)).toThrow();
    try {
      parseJson(text);
    } catch (e) {
      // (the runtime's failures are SpaceErrors, not tuples: issue 15)
      expect(e).toBeInstanceOf(SpaceError);
      expect([(e as SpaceError).kind, (e as SpaceError).message]).toEqual(["protocol", "malformed JSON"]);
    }
  });

  test("valid JSON is read by JSON.parse alone (no rewriting)", () => {
    const text = '{"a": "NaN", "b": [1, -2.5, null]}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(nonFiniteAsNull(text)).toBe(text);
  });

  test("split at every byte offset of a real /call stream, then read", () => {
    const stream =
      'event: generating\ndata: [{"headers": ["x", "label"], "data": [[1.5, "NaN"], [NaN, "Infinity"], [Infinity, "-Infinity"], [-Infinity, "say \\"NaN\\""]], "metadata": null}]\n\n' +
      "event: complete\ndata: [NaN]\n\n";
    const bytes = new TextEncoder().encode(stream);
    const expected = [
      [
        "generating",
        [
          {
            headers: ["x", "label"],
            data: [
              [1.5, "NaN"],
              [null, "Infinity"],
              [null, "-Infinity"],
              [null, 'say "NaN"'],
            ],
            metadata: null,
          },
        ],
      ],
      ["complete", [null]],
    ];
    for (let k = 1; k < bytes.length; k++) {
      const p = sse();
      const events = [...p(bytes.subarray(0, k)), ...p(bytes.subarray(k))];
      expect(
        events.map(([e, d]) => [e, parseJson(d)]),
        `split at ${k}`,
      ).toEqual(expected);
    }
  });

  test("linear: an unterminated string of 8 MiB full of escaped quotes is refused quickly", () => {
    const text = '["' + '\\"NaN'.repeat(1 << 21);
    const started = performance.now();
    expect(() => parseJson(text)).toThrow();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
