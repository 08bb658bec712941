import { useEffect } from 'preact/hooks';
import { api } from './api.ts';
import { useLoad } from './use-load.ts';

/** The service's health and projection lag, refreshed every 15 seconds. */
export function HealthBadge() {
  const health = useLoad(() => api.health(), []);
  const { reload } = health;
  useEffect(() => {
    const timer = setInterval(reload, 15_000);
    return () => clearInterval(timer);
  }, [reload]);
  if (health.error) return <span class="badge bad">Health unknown: {health.error}</span>;
  if (!health.data) return <span class="badge">Checking health…</span>;
  const lag = Object.values(health.data.checks).find((check) => check.lagMs !== undefined);
  const healthy = health.data.status === 'healthy';
  return (
    <span class={`badge ${healthy ? 'good' : 'bad'}`} data-testid="health">
      {healthy ? 'Healthy' : 'Degraded'}
      {lag?.lagMs !== undefined && ` · projection lag ${Math.round(lag.lagMs)} ms`}
    </span>
  );
}
