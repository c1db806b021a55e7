/**
 * A job whose last write went unanswered (timeout, 5xx, crash): iCIMS may or may not hold the
 * note, and the next try reads the application's notes back before sending it again.
 */
export function InDoubtBadge() {
  return (
    <span
      className="badge tone-warn in-doubt-badge"
      data-testid="job-in-doubt"
      title="The last write went unanswered: iCIMS may already have the note. It is checked before the note is sent again."
    >
      In doubt
    </span>
  );
}
