import { z } from 'zod';
import type { IcimsNote } from './icims-client';
import type { WireStyle } from './wire-style';
import { idText, nextPageOf, parseNoteTime, segment } from './wire-style';

/** A text field that may arrive as a string or number, or be absent or malformed (→ null). */
const text = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .nullable()
  .optional()
  .catch(null)
  .transform((v) => (v === undefined || v === '' ? null : v));

const applicationSchema = z.looseObject({
  id: text,
  candidateName: text,
  candidateEmail: text,
  requisitionId: text,
  requisitionTitle: text,
  status: text,
});

/**
 * The integration plan's shape (docs/INTERFACES.md §5, `applications` style):
 * `GET {base}/api/v1/applications/{id}` and `POST …/notes` with
 * `{ content, noteType: "scheduling", idempotencyKey }`, and `GET …/notes` to read them back.
 */
export const applicationsStyle: WireStyle = {
  name: 'applications',
  getApplication: (applicationId) => ({ method: 'GET', path: `/api/v1/applications/${segment(applicationId)}` }),
  addNote: (applicationId, note, idempotencyKey) => ({
    method: 'POST',
    path: `/api/v1/applications/${segment(applicationId)}/notes`,
    body: JSON.stringify({ content: note, noteType: 'scheduling', idempotencyKey }),
  }),
  readNotes: (applicationId, page) => ({
    method: 'GET',
    path: `/api/v1/applications/${segment(applicationId)}/notes${page === null ? '' : `?page=${segment(page)}`}`,
  }),
  parseNotes: (body) => {
    const root = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const entries = Array.isArray(root.notes) ? (root.notes as unknown[]) : [];
    const notes: IcimsNote[] = [];
    for (const entry of entries) {
      if (entry === null || typeof entry !== 'object') continue;
      const e = entry as Record<string, unknown>;
      if (typeof e.content !== 'string') continue;
      notes.push({
        id: idText(e.id),
        text: e.content,
        createdAt: parseNoteTime(e.createdAt),
        idempotencyKey: typeof e.idempotencyKey === 'string' && e.idempotencyKey !== '' ? e.idempotencyKey : null,
      });
    }
    return { notes, nextPage: nextPageOf(root) };
  },
  parseApplication: (body, requestedId) => {
    const parsed = applicationSchema
      .catch({
        id: null,
        candidateName: null,
        candidateEmail: null,
        requisitionId: null,
        requisitionTitle: null,
        status: null,
      })
      .parse(body);
    return {
      id: parsed.id ?? requestedId,
      candidateName: parsed.candidateName,
      candidateEmail: parsed.candidateEmail,
      requisitionId: parsed.requisitionId,
      requisitionTitle: parsed.requisitionTitle,
      status: parsed.status,
    };
  },
};
