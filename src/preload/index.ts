// Filled in by the console issue: exposes named ConsoleApi functions over IPC.
export {};
