// /settings/tab/:tab, loaded as its own chunk (see app.tsx). The tabs are links, not an ARIA tablist:
// each tab is its own URL (the OAuth callback redirects straight to /settings/tab/integrations), and
// links give back/forward, open-in-new-tab and "current page" semantics for free.

import { NavLink } from '../frame/nav-link.tsx';
import { NotFoundPage } from '../frame/not-found-page.tsx';
import { useDocumentTitle } from '../frame/use-document-title.ts';
import { IntegrationsTab } from './integrations-tab.tsx';
import { MembersTab } from './members-tab.tsx';
import { SavedRepliesTab } from './saved-replies-tab.tsx';

const tabs = {
  members: { label: 'Members', content: MembersTab },
  'saved-replies': { label: 'Saved replies', content: SavedRepliesTab },
  integrations: { label: 'Integrations', content: IntegrationsTab },
} as const;

function isTab(tab: string): tab is keyof typeof tabs {
  return Object.hasOwn(tabs, tab);
}

export default function SettingsPage({ tab }: { tab: string }) {
  if (!isTab(tab)) return <NotFoundPage />;
  return <Settings tab={tab} />;
}

function Settings({ tab }: { tab: keyof typeof tabs }) {
  const { label, content: Content } = tabs[tab];
  useDocumentTitle(`${label} · Settings`);
  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <nav aria-label="Settings sections" className="tabs">
        {Object.entries(tabs).map(([id, { label: tabLabel }]) => (
          <NavLink key={id} href={`/settings/tab/${id}`} className="tabs__tab">
            {tabLabel}
          </NavLink>
        ))}
      </nav>
      <Content />
    </section>
  );
}
