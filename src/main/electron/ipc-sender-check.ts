import type { IpcMainInvokeEvent, WebContents } from 'electron';

/**
 * Decides whether an IPC call comes from the console itself. Checked on every call, not once per
 * window, because what a frame shows can change between two calls.
 *
 * All three must hold:
 * - it comes from our window's webContents (not devtools, not any other webContents);
 * - from that webContents' main frame (an iframe — even one our page embedded — is refused);
 * - and that frame currently shows our page (file:// index.html, or the dev server's origin).
 *
 * `senderFrame` is null when the frame navigated away or was destroyed while the call was in
 * flight: refused too.
 */
export function createIpcSenderCheck(
  ownWebContents: () => WebContents | null,
  isOwnUrl: (url: string) => boolean,
): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const contents = ownWebContents();
    const frame = event.senderFrame;
    if (!contents || contents.isDestroyed() || !frame) return false;
    if (event.sender.id !== contents.id) return false;
    // Compared by ids, not object identity: Electron does not promise one wrapper per frame.
    const main = contents.mainFrame;
    if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
    return isOwnUrl(frame.url);
  };
}
