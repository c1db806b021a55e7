import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConsoleTokenKind, RevealedToken } from '../../../../shared/console-tokens';
import { useConsoleApi } from '../../api/console-context';
import { errorMessage } from '../../api/console-api-error';
import { queryKeys } from '../../api/query-keys';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';

const ABOUT: Record<ConsoleTokenKind, { name: string; use: string; rotateNote: string }> = {
  api: {
    name: 'API token',
    use: 'For admins and scripts: every local API route, and signing a browser in to this console.',
    rotateNote: 'Scripts that use the old token stop working at once. Browsers already signed in stay signed in.',
  },
  ingest: {
    name: 'Ingest token',
    use: 'Give this one to the scheduling system: it can only post events (POST /api/events).',
    rotateNote: 'The scheduling system is refused until it is given the new token: update it right after rotating.',
  },
};

/**
 * Settings › Console tokens: which token to give whom, shown on request (never by default: the
 * screen may be shared) and rotated with a confirmation, since the old token stops working at once.
 */
export function ConsoleTokensCard() {
  const api = useConsoleApi();
  const query = useQuery({ queryKey: queryKeys.consoleTokens(), queryFn: () => api.getConsoleTokens({}) });
  return (
    <section
      className="card settings-card console-tokens-card"
      aria-labelledby="console-tokens-title"
      data-testid="console-tokens"
    >
      <h2 id="console-tokens-title">Console tokens</h2>
      <p className="field-hint">
        Bearer tokens for this console&apos;s local API. They are kept in the data folder (or set by environment) and
        are shown here only when you ask.
      </p>
      {query.data?.tokens.map((token) => (
        <TokenRow key={token.kind} kind={token.kind} source={token.source} variable={token.variable} />
      )) ?? null}
      {query.error ? <p role="alert">{errorMessage(query.error)}</p> : null}
    </section>
  );
}

function TokenRow({
  kind,
  source,
  variable,
}: {
  kind: ConsoleTokenKind;
  source: 'environment' | 'generated';
  variable: string;
}) {
  const api = useConsoleApi();
  const [shown, setShown] = useState<RevealedToken | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const reveal = useMutation({ mutationFn: () => api.revealConsoleToken({ kind }), onSuccess: setShown });
  const rotate = useMutation({
    mutationFn: () => api.rotateConsoleToken({ kind }),
    onSuccess: (token) => {
      setShown(token);
      setConfirming(false);
      setNotice(
        'Rotated: the old token is refused from now on. Copy the new one below and give it to whoever used the old one.',
      );
    },
  });
  const about = ABOUT[kind];
  const readOnly = useReadOnly();
  const error = reveal.error ?? rotate.error;

  return (
    <div className="token-row" data-testid={`console-token-${kind}`}>
      <div className="token-row-head">
        <h3>{about.name}</h3>
        <span className="field-hint">
          {source === 'environment' ? `Set by environment (${variable})` : `Generated; overridden by ${variable}`}
        </span>
      </div>
      <p className="field-hint">{about.use}</p>
      {notice ? (
        <p role="status" className="token-notice">
          {notice}
        </p>
      ) : null}
      {shown ? (
        <input
          className="token-value"
          readOnly
          aria-label={`${about.name} value`}
          data-testid={`console-token-value-${kind}`}
          value={shown.token}
          onFocus={(event) => event.currentTarget.select()}
        />
      ) : null}
      {error ? <p role="alert">{errorMessage(error)}</p> : null}
      <div className="button-row">
        {shown ? (
          <button type="button" className="button small" onClick={() => setShown(null)}>
            Hide {about.name}
          </button>
        ) : (
          <button type="button" className="button small" disabled={reveal.isPending} onClick={() => reveal.mutate()}>
            Reveal {about.name}
          </button>
        )}
        <button
          type="button"
          className="button small danger-outline"
          disabled={source === 'environment'}
          {...readOnlyButton(
            readOnly,
            source === 'environment' ? `Set by environment: change ${variable} and restart` : undefined,
          )}
          onClick={() => setConfirming(true)}
        >
          Rotate {about.name}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Rotate the ${about.name.toLowerCase()}?`}
        confirmLabel={`Rotate ${about.name}`}
        tone="danger"
        busy={rotate.isPending}
        onConfirm={() => rotate.mutate()}
        onClose={() => setConfirming(false)}
      >
        <p>A new token replaces the old one now. {about.rotateNote}</p>
      </ConfirmDialog>
    </div>
  );
}
