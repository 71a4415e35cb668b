import { Alert } from '../../ui/alert.tsx';
import { metaErrorMessage } from './meta-error-messages.ts';

/** Why the last Facebook connection attempt failed (`?meta_error=`), until dismissed. */
export function MetaErrorBanner({ code, onDismiss }: { code: string; onDismiss: () => void }) {
  const { title, nextStep, tone } = metaErrorMessage(code);
  return (
    <Alert tone={tone} title={title} onDismiss={onDismiss} data-testid="meta-error">
      <p>{nextStep}</p>
    </Alert>
  );
}
