import type { ReactNode } from 'react';
import { PageHeading } from './page-heading.tsx';

/** A small page (sign-in, register, home...): a card under its focused `<h1>`. */
export function PageCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mx-auto w-full max-w-md rounded-lg border border-slate-200 p-6 shadow-sm dark:border-slate-700">
      <PageHeading className="mb-4">{title}</PageHeading>
      {children}
    </section>
  );
}
