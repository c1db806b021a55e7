type Message = { type: string; [key: string]: unknown };

/** The child's line to the bench parent while a task runs. */
export interface ChildChannel {
  send(message: Message): void;
  /** Returns an unsubscribe. */
  on(listener: (message: Message) => void): () => void;
}
