/**
 * The nickname an access token gives (its `sub` claim), read without verifying it: the server
 * verifies, and names the person by `sub` whatever name the join asks for (docs/protocol.md,
 * "Authentication"), so the page must join under that name to recognise its own join.
 * Undefined when the token is not a readable JWT with a `sub`.
 */
export function nicknameOfToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const sub = (claims as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' && sub !== '' ? sub : undefined;
  } catch {
    return undefined;
  }
}
