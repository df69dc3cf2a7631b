import { z } from 'zod';

/** MaChat's first line: who is joining which room (by name or id). */
export interface MachatHandshake {
  readonly name: string;
  readonly room: string;
  /** An access token, for a server that needs one (`--jwt-secret`, `--jwt-public-key`). */
  readonly token?: string;
}

const HANDSHAKE = z.object({ name: z.string(), room: z.string(), token: z.string().optional() });

/** The syntax a bad handshake is told about. */
export const HANDSHAKE_SYNTAX = '{"name":"…","room":"…"}';

/** True when a first line is meant as a MaChat handshake (a JSON object), well formed or not. */
export function looksLikeHandshake(line: string): boolean {
  return line.trimStart().startsWith('{');
}

/** The handshake, or a sentence saying what is wrong with it. */
export function parseHandshake(line: string): MachatHandshake | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: `the first line is not valid JSON; send ${HANDSHAKE_SYNTAX}` };
  }
  const parsed = HANDSHAKE.safeParse(value);
  if (!parsed.success) {
    return { problem: `the first line needs "name" and "room" strings: ${HANDSHAKE_SYNTAX}` };
  }
  return parsed.data;
}
