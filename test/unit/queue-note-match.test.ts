import { describe, expect, it } from 'vitest';
import type { IcimsNote } from '../../src/main/engine/icims/icims-client';
import {
  AuthError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../src/main/engine/icims/errors';
import type { CompletedTwin } from '../../src/main/engine/sync/completed-twins';
import { matchNote } from '../../src/main/engine/sync/note-match';

const T0 = Date.parse('2026-01-15T12:00:00Z');
const TEXT = 'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com';
const job = { noteText: TEXT, idempotencyKey: 'key-mine', firstWriteAt: T0 };
const note = (over: Partial<IcimsNote> = {}): IcimsNote => ({
  id: 'n1',
  text: TEXT,
  createdAt: T0 + 10,
  idempotencyKey: null,
  ...over,
});
const twin = (over: Partial<CompletedTwin> = {}): CompletedTwin => ({
  noteText: TEXT,
  idempotencyKey: 'key-twin',
  noteId: null,
  completedAt: T0 - 1_000,
  ...over,
});

describe('the read-back rule', () => {
  it('finds the note whatever iCIMS did to whitespace, line endings and Unicode composition', () => {
    const mangled = `  ${TEXT.replace(/ /g, '  ').replace('with', 'with\r\n')}\n`;
    expect(matchNote(job, [note({ text: mangled })], [])).toMatchObject({ found: true, noteId: 'n1' });
    const composed = { ...job, noteText: 'Entretien planifié' };
    expect(matchNote(composed, [note({ text: 'Entretien planifie\u0301' })], []).found).toBe(true);
    expect(matchNote(job, [note({ text: `${TEXT}.` })], []).found).toBe(false);
  });

  it('ignores a note created more than 5 minutes before the first write; undated notes count', () => {
    expect(matchNote(job, [note({ createdAt: T0 - 5 * 60_000 - 1 })], []).found).toBe(false);
    expect(matchNote(job, [note({ createdAt: T0 - 5 * 60_000 + 1 })], []).found).toBe(true);
    expect(matchNote(job, [note({ createdAt: null })], []).found).toBe(true);
  });

  it('one iCIMS note counts for one job: a completed twin with the same text owns one of them', () => {
    // Undated notes: the twin may own the only one.
    expect(matchNote(job, [note({ createdAt: null })], [twin()]).found).toBe(false);
    expect(
      matchNote(job, [note({ id: 'a', createdAt: null }), note({ id: 'b', createdAt: null })], [twin()]),
    ).toMatchObject({
      found: true,
    });
    // The twin's note is identified by id: the other one is ours.
    expect(matchNote(job, [note({ id: 'a' }), note({ id: 'b' })], [twin({ noteId: 'a' })])).toMatchObject({
      found: true,
      noteId: 'b',
    });
    expect(matchNote(job, [note({ id: 'a' })], [twin({ noteId: 'a' })]).found).toBe(false);
  });

  it('a carried key settles it: ours is found, another job’s is not ours', () => {
    expect(matchNote(job, [note({ idempotencyKey: 'key-mine' })], [twin(), twin()]).found).toBe(true);
    expect(matchNote(job, [note({ idempotencyKey: 'key-other' })], []).found).toBe(false);
  });
});

describe('in doubt or not written, decided where the error is made', () => {
  it('iCIMS refusals are not written; 5xx, 409 and unknown statuses are in doubt', () => {
    for (const status of [400, 404, 413, 415, 422]) expect(new ValidationError('x', status).inDoubt).toBe(false);
    expect(new AuthError('x', 401).inDoubt).toBe(false);
    expect(new RateLimitError('x', 1000).inDoubt).toBe(false);
    for (const status of [500, 502, 503, 504]) expect(new ServerError('x', status).inDoubt).toBe(true);
    expect(new ValidationError('x', 409).inDoubt).toBe(true);
    expect(new ValidationError('x', 418).inDoubt).toBe(true);
  });

  it('without an answer: in doubt only when the request may have arrived', () => {
    expect(new NetworkError('refused').inDoubt).toBe(false);
    expect(new NetworkError('reset', null, { mayHaveArrived: true }).inDoubt).toBe(true);
    expect(new TimeoutError('late', null, { mayHaveArrived: true }).inDoubt).toBe(true);
  });
});
