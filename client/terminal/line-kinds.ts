/**
 * Whether a line of the TCP line protocol is (part of) a room message, by the prefixes
 * docs/protocol.md documents for everything else: notices and replies (`* `), server notices
 * (`*** `), errors (`! `) and private messages (`[private`).
 */
export function isMessageLine(line: string): boolean {
  return !/^(\* |! |\*\*\* |\[private)/.test(line);
}
