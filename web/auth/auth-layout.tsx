import type { ReactNode } from 'react';
import { useDocumentTitle } from '../frame/use-document-title.ts';

/** The signed-out pages: one centred card under the product name. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <main className="auth">
      <p className="brand auth__brand">Parley</p>
      <section className="auth__card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
