import type { ReactNode } from 'react';
import { Button } from '../ui/button.tsx';

/** Before there is a frame to render into: the first session check, or the server being unreachable. */
export function FullPageMessage({
  busy = false,
  action,
  children,
}: {
  busy?: boolean;
  action?: { label: string; onClick: () => void };
  children: ReactNode;
}) {
  return (
    <main className="full-page-message">
      <p role={busy ? 'status' : 'alert'} aria-busy={busy || undefined}>
        {busy && <span className="spinner" aria-hidden="true" />}
        {children}
      </p>
      {action && (
        <Button variant="primary" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </main>
  );
}
