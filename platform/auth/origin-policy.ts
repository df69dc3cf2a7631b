/**
 * Which browser origins may open a WebSocket or an SSE stream (`--allowed-origins`).
 *
 * Empty (the default): a request without an `Origin` header (not a browser) or from the same
 * origin (its host equals the `Host` header) is accepted, any other refused — on Parley's own
 * endpoints (`/chat/join`, `GET /chat/:id/events`). The seeds' compatibility endpoints
 * (`/mychat`, `/ws`, `/v1.0/chat` and chattypantz's URL forms) keep accepting any origin, as
 * the seed servers did: their clients send fixed or foreign origins (MaChat's Go client always
 * says `http://localhost:8099/`; chattypantz's pages are served from elsewhere). See
 * docs/decisions/0012-tokens-and-origins.md.
 *
 * A list (comma-separated) applies to every endpoint: each entry is `*` (any origin), an origin
 * (`https://chat.example.com`, `http://localhost:8099`), or one with a wildcard host
 * (`https://*.example.com`: any subdomain, not the domain itself); an entry without a scheme
 * (`*.example.com`, `example.com:8443`) matches any scheme. Same-origin requests and requests
 * without an `Origin` are always accepted.
 */
export class OriginPolicy {
  private readonly entries: readonly OriginPattern[];
  private readonly any: boolean;

  constructor(list: string) {
    const items = list
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    this.any = items.includes('*');
    this.entries = items.filter((item) => item !== '*').map(parsePattern);
  }

  /** Whether a list was given (then it applies to the seeds' endpoints too). */
  get isListed(): boolean {
    return this.any || this.entries.length > 0;
  }

  /**
   * Whether a request with this `Origin` and `Host` may go on.
   * @param seedEndpoint a seed's compatibility endpoint: any origin unless a list was given
   */
  allows(origin: string | undefined, host: string | undefined, seedEndpoint = false): boolean {
    if (origin === undefined || this.any) return true;
    if (seedEndpoint && !this.isListed) return true;
    const parsed = parseOrigin(origin);
    if (parsed === undefined) return false; // `null` (a sandboxed page, a file) and garbage
    if (host !== undefined && parsed.host === host.toLowerCase()) return true;
    return this.entries.some((entry) => matches(entry, parsed));
  }
}

interface OriginPattern {
  readonly scheme: string | undefined;
  /** `host` or `host:port`, lower case; a leading `*.` matches any subdomain. */
  readonly host: string;
}

function parsePattern(item: string): OriginPattern {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*?)\/?$/i.exec(item);
  if (match === null) return { scheme: undefined, host: item.replace(/\/$/, '').toLowerCase() };
  return { scheme: (match[1] ?? '').toLowerCase(), host: (match[2] ?? '').toLowerCase() };
}

function parseOrigin(origin: string): { scheme: string; host: string } | undefined {
  try {
    const url = new URL(origin);
    if (url.host === '') return undefined;
    return { scheme: url.protocol.slice(0, -1), host: url.host };
  } catch {
    return undefined;
  }
}

function matches(pattern: OriginPattern, origin: { scheme: string; host: string }): boolean {
  if (pattern.scheme !== undefined && pattern.scheme !== origin.scheme) return false;
  if (!pattern.host.startsWith('*.')) return pattern.host === origin.host;
  const suffix = pattern.host.slice(1); // `.example.com` (with the port, if given)
  return origin.host.endsWith(suffix) && origin.host.length > suffix.length;
}

/** The URL with its `token` query parameter's value hidden: for anything that logs a URL. */
export function scrubToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
