// The history import's progress on the Meta card (issue 13): while it runs, how many conversations
// and messages have come in (and, while Meta fails for a while, that it is retrying), refreshed every 2
// seconds; once stopped, why; once done, what was imported and that Meta only gives the most recent
// messages of each conversation.
import { useEffect } from 'react';
import type { HistoryStatusResponse } from '../../api/contract.ts';
import { useApi } from '../../api/use-api.ts';

const PLATFORM = { messenger: 'Messenger', instagram: 'Instagram' } as const;

export function MetaHistoryImport() {
  const history = useApi<HistoryStatusResponse>('/api/integrations/meta/history');
  const imports = history.status === 'ready' ? history.data.imports : [];
  const running = imports.some((i) => i.state === 'running');
  const { reload } = history;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [running, reload]);
  if (imports.length === 0) return null;
  return (
    <div className="meta-history" aria-live="polite">
      <h4>Conversation history</h4>
      <ul>
        {imports.map((i) => (
          <li key={i.platform} data-state={i.state}>
            {PLATFORM[i.platform]}:{' '}
            {i.state === 'running'
              ? `importing the last ${i.days} days… ${i.conversations_done} conversations, ${i.messages_imported} messages so far${i.error ? `. ${i.error}` : ''}`
              : i.state === 'done'
                ? `imported ${i.conversations_done} conversations (${i.messages_imported} messages) from the last ${i.days} days`
                : `import stopped: ${i.error ?? 'unknown error'}`}
          </li>
        ))}
      </ul>
      <p className="muted">Meta gives only the most recent messages of each conversation (up to 20).</p>
    </div>
  );
}
