import { randomUUID } from 'node:crypto';
import type { SchedulingEvent } from '../../../shared/scheduling-event';

const CANDIDATES = [
  'Ana Souza',
  'Ben Carter',
  'Chloé Martin',
  'Dev Patel',
  'Emma Johansson',
  'Farah Haddad',
  'Gus Müller',
  'Hana Kim',
];
const INTERVIEWERS = [
  'alex.recruiter@example.com',
  'sam.hiring@example.com',
  'jo.panel@example.com',
  'lee.eng@example.com',
];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin'];

interface Candidate {
  applicationId: string;
  name: string;
  requestId: string;
  stage: 'requested' | 'booked' | 'closed';
  bookingId: string;
  startsAt: number;
  zone: string;
}

/**
 * Mock mode's scheduling traffic: candidates move through link → booked → (rescheduled) →
 * (cancelled) like real ones, so a fresh install shows a living console. Events are valid
 * contract events and go through the same ingest path as the scheduling system's.
 */
export class TrafficSimulator {
  private readonly candidates: Candidate[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  constructor(
    private readonly ingest: (events: SchedulingEvent[]) => void,
    private readonly intervalMs = 4_000,
    private readonly random: () => number = Math.random,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One step: a new candidate or the next step of an existing one. */
  tick(now = Date.now()): void {
    this.ingest([this.nextEvent(now)]);
  }

  nextEvent(now: number): SchedulingEvent {
    const pick = <T>(items: T[]): T => items[Math.floor(this.random() * items.length)] as T;
    const open = this.candidates.filter((c) => c.stage !== 'closed');
    const occurredAt = new Date(now).toISOString();
    const eventId = `sim-${now.toString(36)}-${(this.seq++).toString(36)}`;

    if (open.length === 0 || this.random() < 0.35) {
      const candidate: Candidate = {
        applicationId: `APP-${10000 + Math.floor(this.random() * 90000)}`,
        name: pick(CANDIDATES),
        requestId: randomUUID(),
        stage: 'requested',
        bookingId: randomUUID(),
        startsAt: 0,
        zone: pick(ZONES),
      };
      this.candidates.push(candidate);
      if (this.candidates.length > 50) this.candidates.shift();
      return {
        eventId,
        type: 'link_created',
        applicationId: candidate.applicationId,
        entityType: 'scheduling_request',
        entityId: candidate.requestId,
        occurredAt,
        candidateName: candidate.name,
        timezone: candidate.zone,
        schedulingLinkUrl: `https://scheduling.example.com/s/${candidate.requestId.slice(0, 8)}`,
      };
    }

    const candidate = pick(open);
    const slot = (days: number) => Math.floor((now + days * 86_400_000) / 1_800_000) * 1_800_000;
    const interviewerEmail = pick(INTERVIEWERS);
    const base = {
      applicationId: candidate.applicationId,
      occurredAt,
      candidateName: candidate.name,
      interviewerEmail,
      timezone: candidate.zone,
    };

    if (candidate.stage === 'requested') {
      candidate.stage = 'booked';
      candidate.startsAt = slot(1 + Math.floor(this.random() * 7));
      return {
        ...base,
        eventId,
        type: 'booked',
        entityType: 'booking',
        entityId: candidate.bookingId,
        startsAt: iso(candidate.startsAt),
        endsAt: iso(candidate.startsAt + 2_700_000),
      };
    }

    const previous = candidate.startsAt;
    if (this.random() < 0.6) {
      candidate.startsAt = slot(2 + Math.floor(this.random() * 7));
      return {
        ...base,
        eventId,
        type: 'rescheduled',
        entityType: 'booking',
        entityId: candidate.bookingId,
        startsAt: iso(candidate.startsAt),
        endsAt: iso(candidate.startsAt + 2_700_000),
        previousStartsAt: iso(previous),
      };
    }
    candidate.stage = 'closed';
    return {
      ...base,
      eventId,
      type: 'cancelled',
      entityType: 'booking',
      entityId: candidate.bookingId,
      startsAt: iso(previous),
      reason: 'Candidate withdrew',
    };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
