import { Button } from '../../ui/button.tsx';
import { MetaConnectButton } from './meta-connect-button.tsx';

/** The server keeps the Pages from a login for 5 minutes (and forgets them once one is chosen). */
export function MetaPagesExpired({ onCancel }: { onCancel: () => void }) {
  return (
    <div className="empty-state">
      <h3>This list expired — connect again</h3>
      <p>
        For your security, Parley keeps the Pages Facebook shared for only 5 minutes. Connect with Facebook
        again to choose a Page.
      </p>
      <div className="actions">
        <MetaConnectButton />
        <Button variant="link" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
