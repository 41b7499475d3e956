import type { ReactNode } from 'react';
import { PageHeading } from '../../../components/page-heading.tsx';

/** One admin page: its focused `<h1>` (which also names the document) above the content. */
export function AdminPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-6">
      <PageHeading>{title}</PageHeading>
      {children}
    </div>
  );
}
