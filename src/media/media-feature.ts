// Wires media: the store MEDIA_STORE names, the host policy (META_MEDIA_HOSTS), the download jobs on
// the shared job runner, and the routes that serve files.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { claimSchedule } from '../jobs/schedule.ts';
import { MediaHosts } from './media-hosts.ts';
import { MEDIA_DOWNLOAD_JOB } from './media-requests.ts';
import { mediaRoutes } from './media-routes.ts';
import { MediaService } from './media-service.ts';
import { createMediaStore } from './media-store.ts';
import { SignedMediaLinks } from './signed-media-links.ts';

export interface MediaFeature {
  media: MediaService;
  links: SignedMediaLinks;
}

export async function registerMediaFeature(
  app: FastifyInstance,
  deps: Deps,
  jobs: JobRunner,
): Promise<MediaFeature> {
  const { config } = deps;
  const media = new MediaService({
    db: deps.database.db,
    store: createMediaStore(config.mediaStore, deps.database.db),
    hosts: new MediaHosts(config.mediaHosts),
    resolve: deps.mediaResolver,
    logger: deps.logger,
    now: deps.now,
  });
  jobs.handle(MEDIA_DOWNLOAD_JOB, (payload, attempt) => media.runDownload(payload, attempt));
  const links = new SignedMediaLinks(config.sessionSecret, config.publicUrl, deps.now);
  if (deps.runJobs !== false) {
    // A deleted organization's rows go with it (ON DELETE CASCADE); its folder is removed hourly.
    const timer = setInterval(() => {
      void claimSchedule(deps.database.db, 'media.sweep', deps.now(), 3600_000)
        .then((mine) => (mine ? media.sweepDeletedOrganizations() : 0))
        .catch((err: unknown) => deps.logger.warn({ err }, 'media sweep failed'));
    }, 60_000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  await app.register(mediaRoutes, { media, links });
  return { media, links };
}
