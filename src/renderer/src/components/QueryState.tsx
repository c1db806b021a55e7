import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/console-api-error';
import { Skeleton } from './Skeleton';

interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  /** Placeholder rows while the first answer is on its way; sized like the content to avoid jumps. */
  skeletonLines?: number;
  children: (data: T) => ReactNode;
}

/**
 * Loading, error and data for one card. When a refetch fails but older data exists, the data
 * stays (an operator keeps their picture of the system) and the page-wide ConnectionBanner says
 * it may be out of date, rather than every card repeating it.
 */
export function QueryState<T>({ query, skeletonLines = 3, children }: QueryStateProps<T>) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) {
    return (
      <div className="card-error" role="alert">
        <p>Could not load this: {errorMessage(query.error)}</p>
        <button type="button" className="button small" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return <Skeleton lines={skeletonLines} />;
}
