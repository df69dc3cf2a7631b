import express, { type RequestHandler } from 'express';
import { fileURLToPath } from 'node:url';

/**
 * Where `client/web/build.mjs` writes the browser client: `dist/web/`, beside the compiled
 * server (this file runs as `dist/platform/http/web-client.js`).
 */
export const WEB_CLIENT_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The browser client's files at `/client/` (`/client` redirects there, so the page's relative
 * asset paths resolve): `index.html`, `app.js`, `app.css`. Static files only, all local, so the
 * page runs under the security headers' script policy and offline on a LAN. Anything else
 * falls through to the API's `404 not_found` — also every path when the client was not built.
 */
export function webClientFiles(directory = WEB_CLIENT_DIR): RequestHandler {
  return express.static(directory, {
    index: 'index.html',
    redirect: true,
    dotfiles: 'ignore',
    // Not hashed names: browsers revalidate (ETag) rather than keep an old bundle.
    cacheControl: true,
    maxAge: 0,
  });
}
