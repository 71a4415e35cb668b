import { useCallback, useState } from 'react';
import { canManageOrganization } from '../session/roles.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { MetaActivity } from './meta/meta-activity.tsx';
import { MetaCard } from './meta/meta-card.tsx';

export function IntegrationsTab() {
  const { role } = useSignedInSession();
  // Bumped after anything the Meta card did (or heard about), so Activity reads its list again.
  const [activityVersion, setActivityVersion] = useState(0);
  const onChanged = useCallback(() => setActivityVersion((n) => n + 1), []);

  return (
    <div className="tab-panel">
      <p className="tab-panel__intro">Connect the channels your team answers from Parley.</p>
      <MetaCard onChanged={onChanged} />
      {canManageOrganization(role) && <MetaActivity version={activityVersion} />}
    </div>
  );
}
