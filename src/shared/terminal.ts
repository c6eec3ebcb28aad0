// What reaches the terminal: text from a document (names, descriptions, messages, types, diffs of modules)
// may carry control characters (ESC/OSC sequences that rewrite the screen, the title or the clipboard, C0
// and C1 controls, DEL) and invisible reordering marks (bidi overrides, which make text read differently
// from what it is). None reaches the terminal raw: the CLI's output sink (cli/main.ts) escapes every line here,
// visibly ("\u001b"), with the user's secrets redacted. Colours survive because printers never write escape
// sequences themselves: `style()` marks text with a per-process nonce that only the sink turns into SGR.

/** C0 except tab and newline, DEL, C1, and the invisible marks that reorder or hide text. */
// eslint-disable-next-line no-control-regex -- its job is to match control characters
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, and tab and newline: for a document's string inside one line of output. */
// eslint-disable-next-line no-control-regex -- as CONTROLS
const CONTROLS_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The invisible marks alone: escaped in generated code too (literal.ts, comments.ts), as in "Trojan Source". */
export const INVISIBLE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const unicodeEscape = (char: string) => "\\u" + char.charCodeAt(0).toString(16).padStart(4, "0");

/** Text with every control character and invisible mark written as \uXXXX (tab and newline kept). */
function escapeControls(text: string): string {
  return text.replace(CONTROLS, unicodeEscape);
}

/** A document's string for one line of output: newlines and tabs escaped too. */
export function inlineText(text: string): string {
  return text.replace(CONTROLS_INLINE, unicodeEscape);
}

const NONCE = Math.random().toString(36).slice(2, 10);
const MARK = new RegExp(`\u0000${NONCE}([0-9;]*)\u0001`, "g");
const mark = (code: string) => `\u0000${NONCE}${code}\u0001`;

/** `text` in an SGR style ("1" bold, "31" red…), written as such only by the output sink. */
export const style = (code: string, text: string) => `${mark(code)}${text}${mark("0")}`;

/** Applies `escape` to the text between style marks; each mark goes through `onMark`. */
function eachText(line: string, escape: (text: string) => string, onMark: (code: string, raw: string) => string): string {
  let out = "";
  let last = 0;
  for (const m of line.matchAll(MARK)) {
    out += escape(line.slice(last, m.index)) + onMark(m[1]!, m[0]);
    last = m.index + m[0].length;
  }
  return out + escape(line.slice(last));
}

/** A line built from a document's strings, made one line for sure (its style marks kept for the sink). */
export const inlineLine = (line: string) => eachText(line, inlineText, (_code, raw) => raw);

/** One output line as the terminal gets it: controls escaped, style marks turned into SGR sequences. */
export const terminalLine = (line: string) => eachText(line, escapeControls, (code) => `\x1b[${code}m`);

/**
 * Text from a document for a Markdown comment (a pull request's): in a code span, where GitHub renders no
 * mention, link, issue reference or HTML; in a table cell a "|" is escaped so it cannot end the cell.
 */
export function markdownCode(text: string, inTable = false): string {
  let flat = inlineText(text);
  if (inTable) flat = flat.replace(/\|/g, "\\|");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat === "" || flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Markdown-significant in running text: mentions, issue references, HTML, entities, links, emphasis, escapes. */
const MARKDOWN_RISK = /[@#<>&[\]`\\*_~|!]|:\/\/|^www\./i;

/**
 * A message that mixes spacegen's words with a document's (drift.ts quotes names in `code spans`, values
 * as JSON): the code spans stay code spans, every other word that could mean something to Markdown
 * (an @mention, a link, HTML, a "|") becomes one too, and the whole stays on one line.
 */
export function markdownText(text: string, inTable = false): string {
  return inlineText(text)
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? markdownCode(part.slice(1, -1), inTable)
        : part
            .split(/( +)/)
            .map((word) => (word.trim() !== "" && MARKDOWN_RISK.test(word) ? markdownCode(word, inTable) : word))
            .join(""),
    )
    .join("");
}
