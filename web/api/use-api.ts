// The one way screens read from the API: `useApi(path)` fetches on mount and whenever `path` changes,
// and hands back a resource that is loading, failed or ready. Writes go through `useAction`; after a
// write a screen either `replace`s the resource with what the server returned or `reload`s it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api-error.ts';
import { type ApiPath, apiGet } from './request.ts';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: T };

export type ApiResource<T> = Resource<T> & {
  /** Fetch again. Data already shown stays on screen until the new answer arrives (no flicker). */
  reload: () => void;
  /** Show `data` without a round trip, e.g. the `{connection}` a POST answered with. */
  replace: (data: T) => void;
};

const loading = { status: 'loading' } as const;

export function useApi<T>(path: ApiPath): ApiResource<T> {
  // The path is stored with its result so that a path change never shows the previous path's data.
  const [entry, setEntry] = useState<{ path: ApiPath; resource: Resource<T> }>({ path, resource: loading });
  const [generation, setGeneration] = useState(0);
  // Bumped by every request and by replace(): an answer applies only if nothing newer happened since,
  // so a slow GET can't overwrite what a POST just returned.
  const latest = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload() trigger.
  useEffect(() => {
    const controller = new AbortController();
    const ticket = ++latest.current;
    const stillWanted = () => !controller.signal.aborted && ticket === latest.current;
    apiGet<T>(path, controller.signal).then(
      (data) => {
        if (stillWanted()) setEntry({ path, resource: { status: 'ready', data } });
      },
      (error: unknown) => {
        if (stillWanted()) setEntry({ path, resource: { status: 'error', error: ApiError.from(error) } });
      },
    );
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => {
    // After a failure show progress again; after a success keep the data while refreshing.
    setEntry((current) =>
      current.resource.status === 'error' ? { ...current, resource: loading } : current,
    );
    setGeneration((n) => n + 1);
  }, []);

  const replace = useCallback(
    (data: T) => {
      latest.current++;
      setEntry({ path, resource: { status: 'ready', data } });
    },
    [path],
  );

  const resource = entry.path === path ? entry.resource : loading;
  return { ...resource, reload, replace };
}
