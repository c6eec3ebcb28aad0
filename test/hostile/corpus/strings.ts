// Hostile strings: each one is something a Space's owner can write into /info and that a careless
// generator would turn into code (comment terminators, template holes, quotes, line terminators
// that end a JS line, HTML, NUL, lone surrogates, prototype keys, names the module already uses).

export const HOSTILE_TEXT: string[] = [
  `*/ globalThis.__pwned = "comment"; /*`,
  `/* unterminated comment`,
  "`${globalThis.__pwned = 'template'}`",
  "${(() => { throw new Error('pwned') })()}",
  `"; globalThis.__pwned = "dq"; "`,
  `'; globalThis.__pwned = 'sq'; '`,
  `\\"); globalThis.__pwned = 1; //`,
  "back\\slash \\u0022 \\n \\\\",
  "line1\nline2\r\nline3\rline4",
  "ls\u2028ps\u2029nel\u0085 // globalThis.__pwned = 'ls'",
  `</script><script>globalThis.__pwned = "html"</script><!--`,
  "nul\u0000byte\u0001\u001f\u007f",
  "lone \ud800 high",
  "lone \udfff low",
  "@deprecated forged tag\n@param x forged",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "\ufeffbom and \u200d zwj \u202e rtl override",
  "emoji 🧨 and astral 𝕏",
];

/** Identifiers the module or the language already uses: endpoint, parameter and component names. */
export const CLASHING_NAMES: string[] = [
  // reserved words
  "class",
  "default",
  "await",
  "let",
  "yield",
  "enum",
  "undefined",
  "arguments",
  // the module's exports
  "space",
  "endpoints",
  "createClient",
  "tools",
  "callTool",
  // runtime values and types
  "SpaceError",
  "FileData",
  "FileInput",
  "Endpoint",
  "AppSpec",
  "EndpointSpec",
  "endpoint",
  "bind",
  "run",
  "sse",
  "mo",
  "$app",
  "process",
  // globals
  "fetch",
  "Promise",
  "setTimeout",
  "globalThis",
  "Object",
  "JSON",
  // prototype
  "__proto__",
  "constructor",
  "prototype",
];

/** A 100k-character string that also carries the dangerous sequences, in the middle. */
export const LONG_TEXT = "A".repeat(50_000) + "*/ `${x}` \u2028 </script> \u0000" + "B".repeat(50_000 - 30);
