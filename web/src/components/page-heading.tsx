import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The page's `<h1>`. It takes focus when the page mounts, so after a client-side navigation a
 * screen reader announces the new page and keyboard users start from its top; a text heading
 * also names the document (WCAG 2.4.2), in the current language.
 */
export function PageHeading({ children, className }: { children: ReactNode; className?: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (typeof children === 'string') document.title = `${children} · ${t('app.name')}`;
  }, [children, t]);
  return (
    <h1
      ref={heading}
      tabIndex={-1}
      className={`text-2xl font-semibold focus:outline-none ${className ?? ''}`}
    >
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
