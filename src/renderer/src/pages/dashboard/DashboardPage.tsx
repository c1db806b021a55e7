import { AlertsCard } from './AlertsCard';
import { ConfigCard } from './ConfigCard';
import { ForecastCard } from './ForecastCard';
import { LatencyChartCard } from './LatencyChartCard';
import { MetricsCard } from './MetricsCard';
import { QueueCard } from './QueueCard';
import { RecentFailuresCard } from './RecentFailuresCard';
import { StatusCard } from './StatusCard';
import { TeamCard } from './TeamCard';
import { WorkerCard } from './WorkerCard';

export function DashboardPage() {
  return (
    <>
      <h1 className="page-title">Dashboard</h1>
      <div className="dashboard-grid">
        <StatusCard />
        <AlertsCard />
        <TeamCard />
        <MetricsCard />
        <QueueCard />
        <LatencyChartCard />
        <RecentFailuresCard />
        <div className="span-5 stack">
          <ForecastCard />
          <WorkerCard />
          <ConfigCard />
        </div>
      </div>
    </>
  );
}
