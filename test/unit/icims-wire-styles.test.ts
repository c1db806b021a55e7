import { describe, expect, it } from 'vitest';
import { applicationsStyle } from '../../src/main/engine/icims/wire-applications';
import { workflowsStyle } from '../../src/main/engine/icims/wire-workflows';

describe('applications style', () => {
  it('encodes path segments', () => {
    expect(applicationsStyle.getApplication('APP 1/2').path).toBe('/api/v1/applications/APP%201%2F2');
    const note = applicationsStyle.addNote('APP:1', 'Hello', 'key-1');
    expect(note).toEqual({
      method: 'POST',
      path: '/api/v1/applications/APP%3A1/notes',
      body: JSON.stringify({ content: 'Hello', noteType: 'scheduling', idempotencyKey: 'key-1' }),
    });
  });

  it('reads leniently: unknown fields ignored, missing or odd ones null, numbers as text', () => {
    expect(
      applicationsStyle.parseApplication(
        { id: 12, candidateName: 'Ann', requisitionId: 456, status: { weird: true }, extra: [1] },
        'APP-1',
      ),
    ).toEqual({
      id: '12',
      candidateName: 'Ann',
      candidateEmail: null,
      requisitionId: '456',
      requisitionTitle: null,
      status: null,
    });
    expect(applicationsStyle.parseApplication('not an object', 'APP-1')).toMatchObject({
      id: 'APP-1',
      candidateName: null,
    });
  });
});

describe('workflows style', () => {
  const style = workflowsStyle('7301', 'notes field');

  it('builds the recruiting-workflow paths with the customer id and notes field', () => {
    expect(style.getApplication('42').path).toBe('/customers/7301/applicantworkflows/42');
    expect(style.addNote('42', 'Hi', 'k')).toEqual({
      method: 'POST',
      path: '/customers/7301/applicantworkflows/42/fields/notes%20field',
      body: '{"note":"Hi"}',
    });
  });

  it('takes the candidate from associatedprofile, the requisition from baseprofile, the status from status.value', () => {
    const body = {
      associatedprofile: { id: 9, profile: 'https://api.icims.com/customers/7301/people/9', value: 'Doe, John' },
      baseprofile: [{ id: 456, value: 'Software Engineer' }],
      status: { id: 'C123', value: 'Interview Scheduled' },
      somethingElse: true,
    };
    expect(style.parseApplication(body, '42')).toEqual({
      id: '42',
      candidateName: 'Doe, John',
      candidateEmail: null,
      requisitionId: '456',
      requisitionTitle: 'Software Engineer',
      status: 'Interview Scheduled',
    });
    expect(style.parseApplication({ status: 'Offer', baseprofile: 17 }, '42')).toMatchObject({
      status: 'Offer',
      requisitionId: null,
    });
  });
});
