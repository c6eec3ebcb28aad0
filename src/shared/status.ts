// The one status display on stderr: a line rewritten in place on a terminal (the jobs running, a Space being
// waited for), plain lines otherwise. Its text comes from documents, so it is escaped like every other line.

import { inlineText } from "./terminal.js";

export class TerminalStatus {
  private shown = false;
  private lastKey = "";
  private lastLineAt = 0;
  /**
   * `tty`: the terminal to rewrite a line on, or null (not a terminal, quiet, markdown);
   * `line`: where `update` prints on a non-terminal.
   */
  constructor(
    private readonly tty: NodeJS.WriteStream | null,
    private readonly line: (text: string) => void = () => {},
  ) {}

  /** Rewrites the line in place, cut to the terminal's width; nothing on a non-terminal. */
  show(text: string): void {
    if (!this.tty) return;
    const width = Math.max(20, (this.tty.columns || 80) - 1);
    const shown = inlineText(text);
    this.tty.write(`\r\x1b[K${shown.length > width ? shown.slice(0, width - 1) + "…" : shown}`);
    this.shown = true;
  }

  /** Progress of a wait. `key` changes when something new happens; on a non-terminal only then (or every 30 s) a line is printed. */
  update(key: string, text: string): void {
    if (this.tty) return this.show(`spacegen: ${text}`);
    const now = Date.now();
    if (key !== this.lastKey || now - this.lastLineAt >= 30_000) {
      this.line(`spacegen: ${text}`);
      this.lastKey = key;
      this.lastLineAt = now;
    }
  }

  /** Erases the line (before something else is printed). */
  clear(): void {
    if (this.tty && this.shown) this.tty.write("\r\x1b[K");
    this.shown = false;
  }

  /** Keeps the line's last text and moves to a fresh line. */
  done(): void {
    if (this.tty && this.shown) this.tty.write("\n");
    this.shown = false;
  }
}
