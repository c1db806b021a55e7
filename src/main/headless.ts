// Plain-Node entry: engine + local API + static UI. Filled in by the engine issue.
export {};
