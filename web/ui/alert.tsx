import type { ReactNode } from 'react';

type AlertProps = {
  tone?: 'error' | 'warning' | 'success' | 'info';
  title?: ReactNode;
  children?: ReactNode;
  onDismiss?: () => void;
  'data-testid'?: string;
};

/** Errors and warnings interrupt (role=alert); good news and information wait their turn (role=status). */
export function Alert({ tone = 'error', title, children, onDismiss, 'data-testid': testId }: AlertProps) {
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`alert alert--${tone}`} role={urgent ? 'alert' : 'status'} data-testid={testId}>
      <div className="alert__body">
        {title && <p className="alert__title">{title}</p>}
        {children}
      </div>
      {onDismiss && (
        <button type="button" className="alert__dismiss" aria-label="Dismiss" onClick={onDismiss}>
          <span aria-hidden="true">×</span>
        </button>
      )}
    </div>
  );
}
