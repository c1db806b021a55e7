/** Grey placeholder lines sized like the content to come, so nothing jumps when it arrives. */
export function Skeleton({ lines, label = 'Loading…' }: { lines: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-busy="true">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
