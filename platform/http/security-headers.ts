import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every HTTP answer (helmet): a Content-Security-Policy that runs no inline
 * script and loads everything from the server itself (Swagger UI at /docs loads its scripts from
 * files and needs only inline styles; the browser client at `/client/` fits the same
 * policy), `X-Content-Type-Options: nosniff`, `X-Frame-Options: SAMEORIGIN`, `Referrer-Policy:
 * no-referrer`, the cross-origin isolation headers, and no `X-Powered-By`.
 *
 * Two of helmet's defaults are left out because Parley speaks plain HTTP, usually behind a
 * proxy that terminates TLS: `upgrade-insecure-requests` (a browser on `http://` would fetch
 * /docs' own scripts over `https://` and fail) and `Strict-Transport-Security` (the TLS
 * terminator's to set, for the names it serves).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
  });
}
