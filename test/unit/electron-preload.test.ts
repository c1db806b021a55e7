import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONSOLE_METHODS,
  IPC_CHANNEL_PREFIX,
  IPC_PUSH_CHANNEL,
  RENDERER_API_GLOBAL,
} from '../../src/shared/console-api';
import type { PreloadApi } from '../../src/shared/console-api';
import type { PushEvent } from '../../src/shared/transport';
import { contextBridge, ipcRenderer } from './electron-fake';

vi.mock('electron', () => import('./electron-fake'));

let exposed: PreloadApi;

beforeAll(async () => {
  await import('../../src/preload/index');
  exposed = contextBridge.exposed.get(RENDERER_API_GLOBAL) as PreloadApi;
});

describe('preload', () => {
  it('exposes one object, under the agreed global, and nothing else', () => {
    expect([...contextBridge.exposed.keys()]).toEqual([RENDERER_API_GLOBAL]);
  });

  it('holds exactly the contract methods plus onPush, all functions — no ipcRenderer, no generic invoke', () => {
    expect(Object.keys(exposed).sort()).toEqual([...CONSOLE_METHODS, 'onPush'].sort());
    for (const value of Object.values(exposed)) expect(typeof value).toBe('function');
    expect(Object.values(exposed)).not.toContain(ipcRenderer);
    expect(exposed).not.toHaveProperty('invoke');
    expect(exposed).not.toHaveProperty('send');
  });

  it('binds each method to its own channel and passes the input through untouched', async () => {
    for (const method of CONSOLE_METHODS) {
      ipcRenderer.invoke.mockClear();
      const input = { marker: method };
      await (exposed[method] as (input: unknown) => Promise<unknown>)(input);
      expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
      expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_CHANNEL_PREFIX + method, input);
    }
  });

  it('delivers pushes as topics only (never the Electron event) and unsubscribes', () => {
    const received: PushEvent[] = [];
    const unsubscribe = exposed.onPush((event) => received.push(event));
    ipcRenderer.emit(IPC_PUSH_CHANNEL, { sender: ipcRenderer }, { topic: 'jobs' });
    expect(received).toEqual([{ topic: 'jobs' }]);
    unsubscribe();
    ipcRenderer.emit(IPC_PUSH_CHANNEL, { sender: ipcRenderer }, { topic: 'ops' });
    expect(received).toHaveLength(1);
    expect(ipcRenderer.listenerCount(IPC_PUSH_CHANNEL)).toBe(0);
  });

  /*
   * The sandboxed preload can require only `electron`; everything else is bundled into it. A value
   * import of console-api.ts would bundle zod (and every schema) into the renderer-facing script.
   * Checked on the source here (always), and on the build output when one exists.
   */
  it('imports at run time only electron and the import-free transport names', () => {
    const root = resolve(__dirname, '../..');
    const preload = join(root, 'src/preload/index.ts');
    expect(valueImports(preload).sort()).toEqual(['../shared/transport', 'electron']);
    expect(valueImports(join(dirname(preload), '../shared/transport.ts'))).toEqual([]);
    const built = join(root, 'out/preload/index.js');
    if (existsSync(built)) {
      const bundle = readFileSync(built, 'utf8');
      expect(bundle).not.toMatch(/zod/i);
      expect([...bundle.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1])).toEqual(['electron']);
    }
  });
});

/** Module specifiers a file imports for their values (type-only imports are erased). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  source.forEachChild((node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const named = node.importClause?.namedBindings;
      const allTypes =
        named &&
        ts.isNamedImports(named) &&
        !node.importClause?.name &&
        named.elements.every((element) => element.isTypeOnly);
      if (!allTypes) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly)
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
  });
  return specifiers;
}
