import { Link } from 'wouter';
import { HOME_PATH } from '../session/return-path.ts';
import { useDocumentTitle } from './use-document-title.ts';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section className="page not-found">
      <h1>Not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link href={HOME_PATH}>Go to the inbox</Link>
    </section>
  );
}
