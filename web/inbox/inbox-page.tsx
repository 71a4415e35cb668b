// The inbox route, loaded as its own chunk (see app.tsx). A placeholder until the inbox issue fills it
// with the conversation list, the thread and the composer (CONTRACT §6); keep it the route's default
// export so app.tsx does not change then.
import { Link } from 'wouter';
import { useDocumentTitle } from '../frame/use-document-title.ts';

export default function InboxPage() {
  useDocumentTitle('Inbox');
  return (
    <section className="page" aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <div className="empty-state">
        <p>Messenger and Instagram conversations will appear here.</p>
        <p>
          Make sure your Facebook Page is connected in{' '}
          <Link href="/settings/tab/integrations">Settings → Integrations</Link>.
        </p>
      </div>
    </section>
  );
}
