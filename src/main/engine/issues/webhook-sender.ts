import type { AlertSettingsValues, WebhookTestResult } from '../../../shared/alert-settings';
import type { Issue } from '../../../shared/issues';
import type { Logger } from '../logger';
import type { IssueTransition } from './issue-store';

/** Delays before the 2nd, 3rd, … try of one delivery; after the last, the delivery is dropped. */
export const WEBHOOK_RETRY_DELAYS_MS = [2_000, 10_000, 60_000, 300_000, 900_000] as const;
const TIMEOUT_MS = 10_000;
/** A receiver that is down for hours must not make the console hoard messages. */
const MAX_QUEUED = 200;

export interface WebhookSenderOptions {
  url: () => string | null;
  format: () => AlertSettingsValues['webhookFormat'];
  logger: Logger;
  /** The console's name in messages ("iCIMS Sync Console on host-1"). */
  source: string;
  retryDelaysMs?: readonly number[];
  /** For tests: resolves when the queue is empty and nothing is scheduled. */
  onIdle?: () => void;
}

interface Delivery {
  body: string;
  tries: number;
  event: string;
}

/**
 * Posts issue changes (opened, escalated, resolved) to the configured webhook. `send` only queues:
 * the engine never waits for a receiver. One delivery at a time, in order; a failed one is tried
 * again with growing delays, then dropped with a log line. The URL is a secret and never appears
 * in a log line or a message (only the receiver's status or the error's kind does).
 */
export class WebhookSender {
  private readonly queue: Delivery[] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly delays: readonly number[];

  constructor(private readonly options: WebhookSenderOptions) {
    this.delays = options.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
  }

  send(transition: IssueTransition): void {
    if (this.stopped || this.options.url() === null) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
      this.options.logger.log('warn', 'webhook.dropped', { reason: 'queue full' });
    }
    this.queue.push({ body: this.body(transition), tries: 0, event: transition.type });
    this.pump();
  }

  /** Settings' Test button: one message now, no retry; says how the receiver answered. */
  async sendTest(): Promise<WebhookTestResult> {
    const url = this.options.url();
    if (!url) return { ok: false, message: 'No webhook URL is saved: enter one in Settings → Alerts and save first.' };
    const body = this.body({
      type: 'opened',
      issue: {
        id: 0,
        key: 'test',
        kind: 'events_stopped',
        severity: 'info',
        title: 'Test message from the iCIMS Sync Console',
        detail: 'If you can read this, alerts will reach this channel.',
        state: 'open',
        firstSeen: new Date().toISOString(),
        lastSeen: new Date().toISOString(),
        count: 1,
        snoozedUntil: null,
        resolvedAt: null,
        resolvedBy: null,
        history: [],
      },
    });
    const outcome = await post(url, body);
    return outcome.ok
      ? { ok: true, message: `The webhook receiver accepted the test message (HTTP ${outcome.status}).` }
      : { ok: false, message: `The webhook receiver did not accept the test message: ${outcome.reason}.` };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  get pending(): number {
    return this.queue.length;
  }

  private body(transition: IssueTransition): string {
    const { issue } = transition;
    if (this.options.format() === 'json') {
      const { history: _history, ...rest } = issue;
      return JSON.stringify({ event: `issue.${transition.type}`, source: this.options.source, issue: rest });
    }
    return JSON.stringify({ text: slackText(transition.type, issue, this.options.source) });
  }

  private pump(): void {
    if (this.running || this.timer || this.stopped) return;
    const next = this.queue[0];
    if (!next) {
      this.options.onIdle?.();
      return;
    }
    const url = this.options.url();
    if (!url) {
      this.queue.length = 0;
      return;
    }
    this.running = true;
    void post(url, next.body).then((outcome) => {
      this.running = false;
      if (this.stopped) return;
      if (outcome.ok) {
        this.queue.shift();
        this.options.logger.log('info', 'webhook.delivered', { event: next.event, status: outcome.status });
        this.pump();
        return;
      }
      next.tries += 1;
      const delay = this.delays[next.tries - 1];
      if (delay === undefined) {
        this.queue.shift();
        this.options.logger.log('warn', 'webhook.gave_up', {
          event: next.event,
          tries: next.tries,
          reason: outcome.reason,
        });
        this.pump();
        return;
      }
      this.options.logger.log('warn', 'webhook.retry', {
        event: next.event,
        tries: next.tries,
        reason: outcome.reason,
        delayMs: delay,
      });
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, delay);
      this.timer.unref();
    });
  }
}

type PostOutcome = { ok: true; status: number } | { ok: false; reason: string };

async function post(url: string, body: string): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    // The error text can hold the URL (undici puts it in some messages): name the kind only.
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    return {
      ok: false,
      reason: name === 'TimeoutError' ? 'no answer within 10 s' : `could not connect (${cause ?? name})`,
    };
  }
}

const MARK = { opened: 'Opened', escalated: 'Escalated', resolved: 'Resolved' } as const;
const ICON = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' } as const;

function slackText(type: IssueTransition['type'], issue: Issue, source: string): string {
  const icon = type === 'resolved' ? ':white_check_mark:' : ICON[issue.severity];
  const head = `${icon} *${MARK[type]}* (${issue.severity}): ${issue.title}`;
  const tail =
    type === 'resolved'
      ? `Resolved (${issue.resolvedBy ?? 'condition cleared'}); first seen ${issue.firstSeen}, seen ${issue.count}×.`
      : issue.detail;
  return `${head}\n${tail}\n_${source} · issue #${issue.id}_`;
}
