import { contextBridge, ipcRenderer } from 'electron';
import type { ConsoleMethod, PreloadApi } from '../shared/console-api';
import { IPC_CHANNEL_PREFIX, IPC_PUSH_CHANNEL, RENDERER_API_GLOBAL } from '../shared/transport';
import type { PushEvent } from '../shared/transport';

/*
 * The renderer's only door into the main process. Sandboxed and bundled: at run time it may load
 * `electron` and src/shared/transport.ts (no imports of its own) and nothing else — the imports
 * from console-api.ts are types only, so zod stays out of this bundle.
 *
 * One named function per ConsoleApi method, each bound to its own channel. No generic
 * `invoke(channel, …)` and never ipcRenderer itself: a page that could pick the channel could
 * call anything the main process ever registers. The main process checks the sender and parses
 * every input anyway; this keeps the surface exactly the contract.
 */

function call(method: ConsoleMethod, input: unknown) {
  return ipcRenderer.invoke(IPC_CHANNEL_PREFIX + method, input);
}

const api = {
  getSnapshot: (input) => call('getSnapshot', input),
  getLatencySeries: (input) => call('getLatencySeries', input),
  listJobs: (input) => call('listJobs', input),
  getJobCounts: (input) => call('getJobCounts', input),
  getJob: (input) => call('getJob', input),
  getApplicationTimeline: (input) => call('getApplicationTimeline', input),
  retryJob: (input) => call('retryJob', input),
  cancelJob: (input) => call('cancelJob', input),
  retryAllFailed: (input) => call('retryAllFailed', input),
  retryJobs: (input) => call('retryJobs', input),
  cancelJobs: (input) => call('cancelJobs', input),
  listFailureGroups: (input) => call('listFailureGroups', input),
  retryFailureGroup: (input) => call('retryFailureGroup', input),
  cancelFailureGroup: (input) => call('cancelFailureGroup', input),
  pauseWorker: (input) => call('pauseWorker', input),
  resumeWorker: (input) => call('resumeWorker', input),
  resetBreaker: (input) => call('resetBreaker', input),
  getSettings: (input) => call('getSettings', input),
  saveSettings: (input) => call('saveSettings', input),
  testConnection: (input) => call('testConnection', input),
  getConsoleTokens: (input) => call('getConsoleTokens', input),
  revealConsoleToken: (input) => call('revealConsoleToken', input),
  rotateConsoleToken: (input) => call('rotateConsoleToken', input),
  listAudit: (input) => call('listAudit', input),
  listIssues: (input) => call('listIssues', input),
  resolveIssue: (input) => call('resolveIssue', input),
  snoozeIssue: (input) => call('snoozeIssue', input),
  getAlertSettings: (input) => call('getAlertSettings', input),
  saveAlertSettings: (input) => call('saveAlertSettings', input),
  testWebhook: (input) => call('testWebhook', input),
  getDiagnostics: (input) => call('getDiagnostics', input),
  onPush(listener: (event: PushEvent) => void): () => void {
    // The listener gets the event's topic only, never Electron's IpcRendererEvent (which
    // carries `sender`, i.e. ipcRenderer).
    const relay = (_event: Electron.IpcRendererEvent, push: PushEvent) => listener({ topic: push.topic });
    ipcRenderer.on(IPC_PUSH_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_PUSH_CHANNEL, relay);
    };
  },
} satisfies PreloadApi;

contextBridge.exposeInMainWorld(RENDERER_API_GLOBAL, api);
