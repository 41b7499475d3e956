import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's `<h1>`. It takes focus when the page mounts, so after a client-side navigation a
 * screen reader announces the new page and keyboard users start from its top.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold focus:outline-none">
      {children}
    </h1>
  );
}

/** A titled part of a page (`<section>` named by its `<h2>`). */
export function PageSection({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4 shadow-sm sm:p-6 dark:border-slate-700"
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
