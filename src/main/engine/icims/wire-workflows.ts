import { z } from 'zod';
import type { IcimsNote } from './icims-client';
import type { WireStyle } from './wire-style';
import { idText, nextPageOf, parseNoteTime, segment } from './wire-style';

const scalar = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional()
  .catch(undefined);

/** iCIMS link/list values look like `{ "id": 1234, "profile": "https://…", "value": "Doe, John" }`. */
const linkValue = z.looseObject({ id: scalar, value: scalar, formattedvalue: scalar });
/** Some fields are a single link, some a one-element array of links, some a plain string. */
const linkish = z
  .union([
    linkValue,
    z.array(linkValue).transform((a) => a[0]),
    z.string().transform((value) => ({ id: undefined, value, formattedvalue: undefined })),
  ])
  .optional()
  .catch(undefined);

const workflowSchema = z.looseObject({
  id: scalar,
  associatedprofile: linkish,
  baseprofile: linkish,
  status: linkish,
  email: scalar,
});

const nullIfEmpty = (v: string | undefined) => (v === undefined || v === '' ? null : v);

/**
 * iCIMS' documented Recruiting Workflow API (docs/INTERFACES.md §5, `workflows` style): the
 * applicant workflow links a Person (`associatedprofile`) to a Job (`baseprofile`); notes go into
 * a collection field (ICIMS_NOTES_FIELD) of the workflow.
 */
export function workflowsStyle(customerId: string, notesField: string): WireStyle {
  const root = `/customers/${segment(customerId)}/applicantworkflows`;
  return {
    name: 'workflows',
    getApplication: (applicationId) => ({ method: 'GET', path: `${root}/${segment(applicationId)}` }),
    addNote: (applicationId, note) => ({
      method: 'POST',
      path: `${root}/${segment(applicationId)}/fields/${segment(notesField)}`,
      body: JSON.stringify({ note }),
    }),
    readNotes: (applicationId, page) => ({
      method: 'GET',
      path: `${root}/${segment(applicationId)}?fields=${segment(notesField)}${page === null ? '' : `&page=${segment(page)}`}`,
    }),
    parseNotes: (body) => {
      const rootBody = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      const field = rootBody[notesField];
      const entries = Array.isArray(field) ? (field as unknown[]) : [];
      const notes: IcimsNote[] = [];
      for (const entry of entries) {
        // A collection entry may be the note text itself or an object carrying it.
        if (typeof entry === 'string') {
          notes.push({ id: null, text: entry, createdAt: null, idempotencyKey: null });
          continue;
        }
        if (entry === null || typeof entry !== 'object') continue;
        const e = entry as Record<string, unknown>;
        const text = e.note ?? e.value;
        if (typeof text !== 'string') continue;
        notes.push({
          id: idText(e.id ?? e.entry),
          text,
          createdAt: parseNoteTime(e.createdAt ?? e.createddate ?? e.date),
          idempotencyKey: null,
        });
      }
      return { notes, nextPage: nextPageOf(rootBody) };
    },
    parseApplication: (body, requestedId) => {
      const parsed = workflowSchema.catch({}).parse(body);
      const person = parsed.associatedprofile;
      const job = parsed.baseprofile;
      return {
        id: parsed.id ?? requestedId,
        candidateName: nullIfEmpty(person?.value ?? person?.formattedvalue),
        candidateEmail: nullIfEmpty(parsed.email),
        requisitionId: nullIfEmpty(job?.id),
        requisitionTitle: nullIfEmpty(job?.value ?? job?.formattedvalue),
        status: nullIfEmpty(parsed.status?.value ?? parsed.status?.formattedvalue),
      };
    },
  };
}
