import './api/zod-without-eval';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApiError } from '../../shared/console-api';
import { App } from './App';
import { ConsoleConnectionProvider } from './api/console-context';
import { createConsoleConnection } from './api/console-connection';
import { ToastProvider } from './components/Toasts';
import { refreshNow } from './hooks/use-now';
import './styles.css';

/** Errors that a second try cannot fix. */
const FINAL_CODES = new Set(['unauthorized', 'forbidden', 'not_found', 'invalid_input', 'conflict']);

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onSuccess: refreshNow }),
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      retry: (failureCount, error) =>
        !(error instanceof ConsoleApiError && FINAL_CODES.has(error.code)) && failureCount < 2,
    },
  },
});

const connection = createConsoleConnection();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ConsoleConnectionProvider connection={connection}>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </QueryClientProvider>
    </ConsoleConnectionProvider>
  </StrictMode>,
);
