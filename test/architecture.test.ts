import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)); // dist/test/ → repository root

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, directory), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Static imports (with or without bindings), re-exports, and dynamic import() calls. */
const IMPORT_FORMS = [
  /^\s*import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
  /^\s*export\s+[^'"]*?\s+from\s+['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

async function importsOf(file: string): Promise<string[]> {
  const source = await readFile(join(ROOT, file), 'utf8');
  return IMPORT_FORMS.flatMap((form) => [...source.matchAll(form)].map((match) => match[1] ?? ''));
}

/** Where an import lands: a top-level folder of the repository, or the package it names. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return `package:${specifier.split('/')[0] ?? ''}`;
  return relative(ROOT, resolve(ROOT, dirname(file), specifier)).split('/')[0] ?? '';
}

describe('Architecture (docs/architecture.md)', () => {
  it('business/ imports only business/: no platform, no cmd, no library, no node: module', async () => {
    const violations: string[] = [];
    for (const file of await sourceFiles('business')) {
      for (const specifier of await importsOf(file)) {
        if (target(file, specifier) !== 'business') violations.push(`${file} → ${specifier}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('platform/ never imports cmd/ (only the composition root sees everything)', async () => {
    const violations: string[] = [];
    for (const file of await sourceFiles('platform')) {
      for (const specifier of await importsOf(file)) {
        if (target(file, specifier) === 'cmd') violations.push(`${file} → ${specifier}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('only cmd/ uses the DI container', async () => {
    const users: string[] = [];
    for (const folder of ['business', 'platform']) {
      for (const file of await sourceFiles(folder)) {
        const specifiers = await importsOf(file);
        if (specifiers.some((s) => s === 'tsyringe' || s === 'reflect-metadata')) users.push(file);
      }
    }
    expect(users).to.deep.equal([]);
  });

  it('client/core/ runs in a browser and in Node: no node: module, no server code, one parser library', async () => {
    const violations: string[] = [];
    for (const file of await sourceFiles('client/core')) {
      for (const specifier of await importsOf(file)) {
        const lands = target(file, specifier);
        const inCore = specifier.startsWith('./');
        if (!inCore && lands !== 'package:eventsource-parser')
          violations.push(`${file} → ${specifier}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('client/terminal/ and cmd/chat/ build on the client core: no server code', async () => {
    const violations: string[] = [];
    const files = [...(await sourceFiles('client/terminal')), ...(await sourceFiles('cmd/chat'))];
    for (const file of files) {
      for (const specifier of await importsOf(file)) {
        const lands = relative(ROOT, resolve(ROOT, dirname(file), specifier));
        const allowed = specifier.startsWith('.')
          ? /^client\/(core|node|terminal)\//.test(lands)
          : specifier.startsWith('node:') || specifier === 'commander';
        if (!allowed) violations.push(`${file} → ${specifier}`);
      }
    }
    expect(files).to.include('client/terminal/room-chat.ts');
    expect(violations).to.deep.equal([]);
  });

  it('client/web/ is the DOM over client/core/: no library, no node: module, no server code', async () => {
    const violations: string[] = [];
    for (const file of await sourceFiles('client/web')) {
      for (const specifier of await importsOf(file)) {
        const inWeb = specifier.startsWith('./');
        const inCore = specifier.startsWith('../core/');
        if (!inWeb && !inCore) violations.push(`${file} → ${specifier}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('the check itself sees imports (guards against a scanner that finds nothing)', async () => {
    const imports = await importsOf('business/chat/chat-service.ts');
    expect(imports).to.include('./room-hub.js');
    expect(await importsOf('cmd/server/compose.ts')).to.include('reflect-metadata'); // bare import
    expect(await importsOf('business/chat/room-service.ts')).to.include('./chat-dependencies.js'); // type-only
    expect(target('business/chat/x.ts', '../../platform/ws/ws-gateway.js')).to.equal('platform');
    expect(target('business/chat/x.ts', 'ws')).to.equal('package:ws');
  });
});
