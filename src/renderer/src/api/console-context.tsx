import type { ReactNode } from 'react';
import { createContext, use } from 'react';
import type { ConsoleConnection } from './console-connection';

const ConsoleContext = createContext<ConsoleConnection | null>(null);

export function ConsoleConnectionProvider({
  connection,
  children,
}: {
  connection: ConsoleConnection;
  children: ReactNode;
}) {
  return <ConsoleContext value={connection}>{children}</ConsoleContext>;
}

export function useConsoleConnection(): ConsoleConnection {
  const connection = use(ConsoleContext);
  if (!connection) throw new Error('useConsoleConnection needs a ConsoleConnectionProvider');
  return connection;
}

export function useConsoleApi() {
  return useConsoleConnection().api;
}
