import { z } from 'zod';
import type { WireStyle } from './wire-style';
import { segment } from './wire-style';

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
 * `{ content, noteType: "scheduling", idempotencyKey }`.
 */
export const applicationsStyle: WireStyle = {
  name: 'applications',
  getApplication: (applicationId) => ({ method: 'GET', path: `/api/v1/applications/${segment(applicationId)}` }),
  addNote: (applicationId, note, idempotencyKey) => ({
    method: 'POST',
    path: `/api/v1/applications/${segment(applicationId)}/notes`,
    body: JSON.stringify({ content: note, noteType: 'scheduling', idempotencyKey }),
  }),
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
