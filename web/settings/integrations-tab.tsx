import { MetaCard } from './meta/meta-card.tsx';

export function IntegrationsTab() {
  return (
    <div className="tab-panel">
      <p className="tab-panel__intro">Connect the channels your team answers from Parley.</p>
      <MetaCard />
    </div>
  );
}
