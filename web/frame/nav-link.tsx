import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

/** A link that marks itself `aria-current="page"` while the location is inside `section`. */
export function NavLink({
  href,
  section = href,
  className,
  children,
}: {
  href: string;
  section?: string;
  className: string;
  children: ReactNode;
}) {
  const [location] = useLocation();
  const current = location === section || location.startsWith(`${section}/`);
  return (
    <Link href={href} className={className} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
