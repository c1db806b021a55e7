import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { routeHref } from '../../hooks/use-hash-route';
import { useSnapshot } from '../../hooks/use-ops';

const AUTH_LABEL = { apiKey: 'API key', oauth: 'OAuth 2.0 client credentials', basic: 'HTTP Basic' } as const;
const CREDENTIAL_NAME = { apiKey: 'API key', oauth: 'Client secret', basic: 'Password' } as const;
const STYLE_LABEL = { applications: 'Applications (notes endpoint)', workflows: 'Workflows (iCIMS REST)' } as const;

/** What the engine is configured with. Only whether a credential exists, never the credential. */
export function ConfigCard() {
  const query = useSnapshot();
  return (
    <Card
      title="Configuration"
      className="span-5"
      testId="config-card"
      aside={<a href={routeHref('settings')}>Edit configuration</a>}
    >
      <QueryState query={query} skeletonLines={5}>
        {({ config }) => (
          <dl className="facts">
            <div className="fact-row">
              <dt>Mode</dt>
              <dd data-testid="config-mode">{config.mode === 'mock' ? 'Mock (simulated iCIMS)' : 'Real iCIMS'}</dd>
            </div>
            <div className="fact-row">
              <dt>Base URL</dt>
              <dd className="mono break" data-testid="config-base-url">
                {config.baseUrl || <span className="muted">not set</span>}
              </dd>
            </div>
            <div className="fact-row">
              <dt>Auth method</dt>
              <dd>{AUTH_LABEL[config.authMethod]}</dd>
            </div>
            <div className="fact-row">
              <dt>Wire style</dt>
              <dd>{STYLE_LABEL[config.apiStyle]}</dd>
            </div>
            <div className="fact-row">
              <dt>{CREDENTIAL_NAME[config.authMethod]}</dt>
              <dd data-testid="config-credential" data-present={String(config.hasApiKey)}>
                {config.hasApiKey ? (
                  <span className="badge tone-good">Present</span>
                ) : config.mode === 'mock' ? (
                  <span className="badge tone-neutral">Not set (not needed in mock mode)</span>
                ) : (
                  <span className="badge tone-bad">Missing</span>
                )}
              </dd>
            </div>
          </dl>
        )}
      </QueryState>
    </Card>
  );
}
