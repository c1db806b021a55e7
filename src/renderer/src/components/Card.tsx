import type { ReactNode } from 'react';

interface CardProps {
  title: string;
  /** Right side of the header: a link, a small action, a caption. */
  aside?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
  /** Extra attributes for QA handles (e.g. `data-status`). */
  data?: Record<`data-${string}`, string | undefined>;
}

export function Card({ title, aside, testId, className, children, data }: CardProps) {
  const headingId = `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={headingId} data-testid={testId} {...data}>
      <header className="card-header">
        <h2 id={headingId}>{title}</h2>
        {aside ? <div className="card-aside">{aside}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
