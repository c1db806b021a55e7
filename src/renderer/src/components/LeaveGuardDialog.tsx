import { useEffect, useState } from 'react';
import { navigate } from '../hooks/use-hash-route';
import { useLeaveGuardReason } from '../hooks/use-leave-guard';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * Catches clicks on in-app links (`#/…`) while a page has unsaved work, and asks before going.
 * The browser's own back button is not caught: it changes the address before any page code runs.
 */
export function LeaveGuardDialog() {
  const reason = useLeaveGuardReason();
  const [target, setTarget] = useState<string | null>(null);

  useEffect(() => {
    if (!reason) return;
    const onClick = (event: MouseEvent) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const link = (event.target as Element | null)?.closest?.('a[href^="#/"]');
      const href = link?.getAttribute('href');
      if (!href || href === window.location.hash) return;
      event.preventDefault();
      setTarget(href);
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [reason]);

  return (
    <ConfirmDialog
      open={target !== null && reason !== null}
      title="Leave without saving?"
      confirmLabel="Leave without saving"
      dismissLabel="Stay"
      tone="danger"
      onConfirm={() => {
        const href = target;
        setTarget(null);
        if (href) navigate(href);
      }}
      onClose={() => setTarget(null)}
    >
      {reason}
    </ConfirmDialog>
  );
}
