import type { DroppedPageView } from '../../api/contract.ts';
import { Alert } from '../../ui/alert.tsx';
import { MetaConnectButton } from './meta-connect-button.tsx';

const names = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/**
 * This Facebook login shares fewer Pages than an earlier one: Pages this Facebook user connected (here
 * or in another Parley organization) are missing from the grant, and saving would replace the token
 * they depend on. Said before anything is saved; Save stays possible (maybe the Page was dropped on
 * purpose), and "Connect again" restarts the login so the Page can be ticked again.
 */
export function MetaGrantShrinkWarning({ dropped }: { dropped: DroppedPageView[] }) {
  const one = dropped.length === 1;
  const inThis = dropped.some((page) => page.same_organization);
  const inAnother = dropped.some((page) => !page.same_organization);
  const where = !inAnother
    ? ''
    : inThis
      ? ' in this and another Parley organization'
      : ' in another Parley organization';
  const it = one ? 'it' : 'them';

  return (
    <Alert
      tone="warning"
      title={`Facebook no longer shares ${names.format(dropped.map((page) => page.name))} with Parley.`}
      data-testid="meta-grant-shrink"
    >
      <p>
        Saving now may stop messages for {one ? 'that Page' : 'those Pages'}
        {where}. To keep {it}, connect again and keep {it} ticked.
      </p>
      <MetaConnectButton label="Connect again" />
    </Alert>
  );
}
