// A link to pass on (an invitation, a reset link): read-only text that selects itself, and a Copy button.
import { useState } from 'react';
import { Button } from '../ui/button.tsx';

export function CopyableLink({ label, url }: { label: string; url: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copyable">
      <input aria-label={label} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      <Button
        onClick={async () => {
          await navigator.clipboard?.writeText(url).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}
