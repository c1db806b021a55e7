import { useEffect, useState } from 'react';
import { formatCountdown } from '../format/time';

/**
 * "in 44 s", "in 3 min": a wait the operator is watching (next probe, end of a hold) counts down
 * each second in the same words the health reasons use, instead of "in a few seconds" beside "44 s".
 */
export function Countdown({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {formatCountdown(iso, now)}
    </time>
  );
}
