// MetaPagePicker: after a Facebook login that returned several Pages, the callback redirects to
// `?meta_select_page=true` and the person picks the Page this organization will answer for. The list
// lives on the server (tokens never reach the browser); this screen only sees ids, names and Instagram
// usernames, and posts back the chosen id. When the login shares fewer Pages than this Facebook user
// connected before (`dropped_pages`, the callback adds `?meta_warning=grant_shrink`), a warning comes first.
import { type FormEvent, useId, useState } from 'react';
import type { ApiError } from '../../api/api-error.ts';
import type {
  ConnectionResponse,
  ConnectionView,
  PendingPagesResponse,
  PendingPageView,
  SelectPageRequest,
} from '../../api/contract.ts';
import { apiPost } from '../../api/request.ts';
import { useAction } from '../../api/use-action.ts';
import { useApi } from '../../api/use-api.ts';
import { Alert } from '../../ui/alert.tsx';
import { Button } from '../../ui/button.tsx';
import { formatTime } from '../../ui/date-format.ts';
import { Skeleton } from '../../ui/skeleton.tsx';
import { MetaGrantShrinkWarning } from './meta-grant-shrink-warning.tsx';
import { MetaPageOption } from './meta-page-option.tsx';
import { MetaPagesExpired } from './meta-pages-expired.tsx';

/** Above this many Pages a filter box appears (agencies can manage dozens). */
export const FILTER_THRESHOLD = 10;

type Props = { onConnected: (connection: ConnectionView) => void; onCancel: () => void };

export function MetaPagePicker({ onConnected, onCancel }: Props) {
  const pending = useApi<PendingPagesResponse>('/api/integrations/meta/pending-pages');
  const [expired, setExpired] = useState(false);

  if (pending.status === 'loading') return <Skeleton label="Loading your Facebook Pages…" />;
  // 404 no_pending_pages: never cached, expired after 5 minutes, or already used by another tab.
  if (expired || (pending.status === 'error' && pending.error.status === 404)) {
    return <MetaPagesExpired onCancel={onCancel} />;
  }
  if (pending.status === 'error') {
    return (
      <Alert title="Your Facebook Pages could not be loaded.">
        <p>{pending.error.message}</p>
        <div className="actions">
          <Button onClick={pending.reload}>Try again</Button>
          <Button variant="link" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </Alert>
    );
  }
  return (
    <PagePickerForm
      list={pending.data}
      onConnected={onConnected}
      onExpired={() => setExpired(true)}
      onCancel={onCancel}
    />
  );
}

type FormProps = Props & { list: PendingPagesResponse; onExpired: () => void };

function PagePickerForm({ list, onConnected, onExpired, onCancel }: FormProps) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [missingChoice, setMissingChoice] = useState(false);
  // Pages the server reported as taken (409) since the list was loaded: shown as unavailable from then on.
  const [takenIds, setTakenIds] = useState<ReadonlySet<string>>(() => new Set());
  const filterId = useId();
  const choiceErrorId = useId();
  const save = useAction((pageId: string) =>
    apiPost<ConnectionResponse>('/api/integrations/meta/select-page', {
      page_id: pageId,
    } satisfies SelectPageRequest),
  );

  const pages = list.pages.map(
    (page): PendingPageView =>
      takenIds.has(page.id)
        ? { ...page, available: false, unavailable_reason: 'connected_to_another_organization' }
        : page,
  );
  const query = filter.trim().toLowerCase();
  const visible = query ? pages.filter((page) => matches(page, query)) : pages;
  const selected = pages.find((page) => page.id === selectedId && page.available) ?? null;
  const showFilter = pages.length > FILTER_THRESHOLD;

  function select(pageId: string) {
    setSelectedId(pageId);
    setMissingChoice(false);
    save.clearError();
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!selected) {
      setMissingChoice(true);
      return;
    }
    const result = await save.run(selected.id);
    if (result.ok) {
      onConnected(result.value.connection);
    } else if (result.error?.status === 404) {
      onExpired();
    } else if (result.error?.status === 409) {
      setTakenIds((ids) => new Set(ids).add(selected.id));
      setSelectedId(null);
    }
  }

  return (
    <form className="meta-picker" onSubmit={onSubmit} noValidate>
      <p>
        Facebook shared {pages.length} {pages.length === 1 ? 'Page' : 'Pages'} with Parley. Choose the one
        whose Messenger and Instagram messages this organization will answer.
      </p>
      <p className="muted">
        This list expires at <time dateTime={list.expires_at}>{formatTime(list.expires_at)}</time>.
      </p>
      {list.dropped_pages.length > 0 && <MetaGrantShrinkWarning dropped={list.dropped_pages} />}
      {showFilter && (
        <div className="field">
          <label htmlFor={filterId}>Filter Pages</label>
          <input
            id={filterId}
            type="search"
            autoComplete="off"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
      )}
      <fieldset
        className="meta-picker__pages"
        aria-invalid={missingChoice || undefined}
        aria-describedby={missingChoice ? choiceErrorId : undefined}
      >
        <legend>Facebook Page</legend>
        {visible.map((page) => (
          <MetaPageOption
            key={page.id}
            page={page}
            checked={page.id === selectedId}
            onSelect={() => select(page.id)}
          />
        ))}
        {visible.length === 0 && <p className="muted">No Pages match “{filter.trim()}”.</p>}
      </fieldset>
      {showFilter && selected && (
        <p className="muted" aria-live="polite">
          Selected: {selected.name}
        </p>
      )}
      {missingChoice && (
        <p id={choiceErrorId} role="alert" className="field__error">
          Choose the Page to connect.
        </p>
      )}
      {save.error && save.error.status !== 404 && <Alert>{selectPageErrorMessage(save.error)}</Alert>}
      <div className="actions">
        <Button type="submit" variant="primary" busy={save.busy}>
          Save
        </Button>
        <Button variant="link" onClick={onCancel} disabled={save.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function matches(page: PendingPageView, query: string): boolean {
  return (
    page.name.toLowerCase().includes(query) ||
    (page.instagram_username?.toLowerCase().includes(query) ?? false)
  );
}

function selectPageErrorMessage(error: ApiError): string {
  if (error.status === 409) {
    return 'That Page was just connected to another Parley organization. Choose a different Page.';
  }
  if (error.status === 422) {
    return 'That Page isn’t in the list Facebook shared. Choose a Page from the list, or connect again.';
  }
  return error.message;
}
