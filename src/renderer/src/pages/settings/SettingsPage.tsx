import { QueryState } from '../../components/QueryState';
import { useSettingsView } from '../../hooks/use-settings';
import { ConsoleTokensCard } from './ConsoleTokensCard';
import { SettingsForm } from './SettingsForm';
import { AlertsSettingsCard } from './AlertsSettingsCard';
import { DiagnosticsCard } from './DiagnosticsCard';

export function SettingsPage() {
  const query = useSettingsView();
  return (
    <>
      <h1 className="page-title">Settings</h1>
      <p className="page-intro">
        Changes apply as soon as they are saved; no restart needed. Values set by environment variables win and are
        read-only here.
      </p>
      <div className="card settings-card">
        <QueryState query={query} skeletonLines={12}>
          {(view) => <SettingsForm view={view} />}
        </QueryState>
      </div>
      <ConsoleTokensCard />
      <AlertsSettingsCard />
      <DiagnosticsCard />
    </>
  );
}
