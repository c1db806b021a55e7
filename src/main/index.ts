// Electron entry: filled in by the console issue (window, IPC, engine lifecycle).
export {};
