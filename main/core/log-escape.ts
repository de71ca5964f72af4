/**
 * Makes untrusted text safe to put in one log line. Keys, server messages and request ids come from
 * users and servers; a key holding "\n2026-01-01T00:00:00Z INFO task done" would otherwise write a
 * forged line into ferry.log, and an ANSI escape would repaint a terminal that tails it. Every
 * character that can end a line, move the cursor or reorder text is written as a visible escape:
 * C0/C1 controls and DEL (so ESC, and with it every ANSI sequence), the Unicode line and paragraph
 * separators, and the bidirectional overrides that can make a line read backwards.
 */

const COMMON: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0, DEL, C1 (NEL U+0085 among them), U+2028/2029, bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeLogField(text: string): string {
  return text.replace(UNSAFE, (c) => COMMON[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
