import { readFileSync } from 'node:fs';

/** The version in package.json, three levels above this compiled file (dist/cmd/server/). */
export function parleyVersion(): string {
  const manifest = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
