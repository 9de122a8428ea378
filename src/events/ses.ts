/**
 * SES email receiving: the event a receipt rule's Lambda action delivers (one record with the
 * message's `mail` metadata and the rule's `receipt`).
 */
import type { SESEvent } from 'aws-lambda';
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { SesEventSchema } from '../schemas/ses.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type EventOverrides,
  hasOverride,
  isoWithMs,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * A verdict status of an SES receipt (`DISABLED` when the rule turned the scan off).
 *
 * @example
 * const status: SesVerdictStatus = 'GRAY';
 */
export type SesVerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

/**
 * Options of {@link sesEvent}.
 *
 * @example
 * const options: SesEventOptions = { from: 'Jane Doe <jane@example.com>', to: ['orders@example.org'], subject: 'Invoice 42' };
 */
export interface SesEventOptions extends CommonEventOptions {
  /** The From header: an address or `Name <address>`; its address is also the envelope sender. Default generated. */
  from?: string;
  /** Recipients (To header, envelope destination and the rule's recipients). Default one generated address. */
  to?: string[];
  /** Cc header; its addresses join the envelope destination. */
  cc?: string[];
  /** Default generated. */
  subject?: string;
  /** The Lambda action's invocation type. `RequestResponse` lets the function return a disposition. Default `Event`. */
  invocationType?: 'Event' | 'RequestResponse';
  /** The function in `receipt.action.functionArn`. Default generated. */
  functionName?: string;
  /** Receipt verdicts. Default `PASS` for all five. */
  verdicts?: Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', SesVerdictStatus>>;
  /** The sender domain's DMARC policy; SES sends it only when the DMARC verdict is `FAIL`. Default `none` then. */
  dmarcPolicy?: 'none' | 'quarantine' | 'reject';
  /** Extra message headers, appended after the standard ones. */
  headers?: Record<string, string>;
  overrides?: EventOverrides<SESEvent>;
}

const status = z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);
const mailbox = z
  .string()
  .regex(/^([^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'expected an address or "Name <address>"');
const optionsSchema = z
  .strictObject({
    ...commonOptionsShape,
    from: mailbox.optional(),
    to: z.array(mailbox).min(1).max(50).optional(),
    cc: z.array(mailbox).max(50).optional(),
    subject: z.string().max(998).optional(),
    invocationType: z.enum(['Event', 'RequestResponse']).optional(),
    functionName: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'expected a Lambda function name')
      .optional(),
    verdicts: z
      .strictObject({
        spam: status.optional(),
        virus: status.optional(),
        spf: status.optional(),
        dkim: status.optional(),
        dmarc: status.optional(),
      })
      .optional(),
    dmarcPolicy: z.enum(['none', 'quarantine', 'reject']).optional(),
    headers: z.record(z.string().regex(/^[!-9;-~]+$/, 'expected a header name'), z.string()).optional(),
  })
  .refine((o) => o.dmarcPolicy === undefined || o.verdicts?.dmarc === 'FAIL', {
    message: "SES sends dmarcPolicy only when the DMARC verdict fails: add verdicts: { dmarc: 'FAIL' }",
    path: ['dmarcPolicy'],
  });

/** The address inside `Name <address>` (or the string itself). */
function mailboxAddress(mailbox: string): string {
  const m = /<([^<>]+)>\s*$/.exec(mailbox);
  return m ? (m[1] as string) : mailbox.trim();
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date (`Mon, 15 Jan 2024 11:59:58 +0000`), as mail clients write the Date header. */
function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Message header names that mirror a `commonHeaders` field. */
const MIRRORED: [header: string, field: 'from' | 'to' | 'cc' | 'subject' | 'date' | 'messageId'][] = [
  ['From', 'from'],
  ['To', 'to'],
  ['Cc', 'cc'],
  ['Subject', 'subject'],
  ['Date', 'date'],
  ['Message-ID', 'messageId'],
];

/** After overrides: headers that mirror a `commonHeaders` field the override changed follow it. */
function rederive(event: SESEvent, overrides: EventOverrides<SESEvent>): void {
  const record = event.Records[0];
  if (!record || hasOverride(overrides, ['Records', 0, 'ses', 'mail', 'headers'])) return;
  const common = record.ses.mail.commonHeaders as unknown as Record<string, unknown>;
  for (const [header, field] of MIRRORED) {
    if (!hasOverride(overrides, ['Records', 0, 'ses', 'mail', 'commonHeaders', field])) continue;
    const value = common[field];
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const entry = record.ses.mail.headers.find((h) => h.name.toLowerCase() === header.toLowerCase());
    if (entry) entry.value = text;
    else record.ses.mail.headers.push({ name: header, value: text });
  }
}

/**
 * Generates the event an SES receipt rule's Lambda action delivers: one record whose `mail` carries
 * the envelope (`source`, `destination`), the message headers (as a list, and the common ones parsed
 * into `commonHeaders`), and whose `receipt` carries the recipients that matched the rule, the five
 * verdicts and the action (`functionArn` from region/account, `invocationType`). Overriding a
 * `commonHeaders` field updates the matching entry of `headers` unless `headers` is overridden too.
 * With `invocationType: 'RequestResponse'` the function may return `{ disposition }`; check it with
 * `toHaveSesDisposition()`.
 *
 * @example
 * const event = sesEvent({ from: 'Jane <jane@example.com>', to: ['orders@example.org'], subject: 'Invoice 42' });
 * event.Records[0]!.ses.mail.commonHeaders.subject; // 'Invoice 42'
 * event.Records[0]!.ses.mail.source; // 'jane@example.com'
 */
export function sesEvent(options: SesEventOptions = {}): SESEvent {
  const fn = 'sesEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('mail');
  const first = r.pick(WORDS.firstNames);
  const domain = `${r.pick(WORDS.adjectives)}-${r.pick(WORDS.nouns)}.example.com`;
  const from = opts.from ?? `${first} <${first.toLowerCase()}@${domain}>`;
  const to = opts.to ?? [`${r.pick(WORDS.nouns)}s@example.org`];
  const cc = opts.cc ?? [];
  const source = mailboxAddress(from);
  const destination = [...to, ...cc].map(mailboxAddress);
  const subject = opts.subject ?? `${r.pick(WORDS.nouns)} ${r.pick(WORDS.verbs)} #${r.int(1, 9999)}`;
  const messageId = r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 40);
  const headerMessageId = `<${r.hex(16)}.${r.int(100000, 999999)}@${source.split('@')[1] ?? domain}>`;
  const sent = Math.round(c.time) - r.int(1000, 5000);
  const date = rfc5322Date(sent);
  const senderIp = r.ipv4();
  const headers: { name: string; value: string }[] = [
    { name: 'Return-Path', value: `<${source}>` },
    {
      name: 'Received',
      value: `from mail.${source.split('@')[1] ?? domain} (mail.${source.split('@')[1] ?? domain} [${senderIp}]) by inbound-smtp.${c.region}.amazonaws.com with SMTP id ${messageId} for ${destination[0]}; ${rfc5322Date(c.time)} (UTC)`,
    },
    {
      name: 'DKIM-Signature',
      value: `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${source.split('@')[1] ?? domain}; s=mail; h=from:to:subject:date:message-id; bh=${r.base64Chars(43)}=; b=${r.base64Chars(86)}==`,
    },
    { name: 'MIME-Version', value: '1.0' },
    { name: 'From', value: from },
    { name: 'Date', value: date },
    { name: 'Message-ID', value: headerMessageId },
    { name: 'Subject', value: subject },
    { name: 'To', value: to.join(', ') },
    ...(cc.length > 0 ? [{ name: 'Cc', value: cc.join(', ') }] : []),
    { name: 'Content-Type', value: 'text/plain; charset=UTF-8' },
    ...Object.entries(opts.headers ?? {}).map(([name, value]) => ({ name, value })),
  ];
  const timestamp = isoWithMs(c.time);
  const v = opts.verdicts ?? {};
  const dmarc = v.dmarc ?? 'PASS';
  const functionName = opts.functionName ?? `${r.pick(WORDS.nouns)}-mail-handler`;
  const event: SESEvent = {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source,
            messageId,
            destination,
            headersTruncated: false,
            headers,
            commonHeaders: {
              returnPath: source,
              from: [from],
              date,
              to,
              ...(cc.length > 0 ? { cc } : {}),
              messageId: headerMessageId,
              subject,
            },
          },
          receipt: {
            timestamp,
            processingTimeMillis: r.int(150, 1500),
            recipients: destination,
            spamVerdict: { status: v.spam ?? 'PASS' },
            virusVerdict: { status: v.virus ?? 'PASS' },
            spfVerdict: { status: v.spf ?? 'PASS' },
            dkimVerdict: { status: v.dkim ?? 'PASS' },
            dmarcVerdict: { status: dmarc },
            ...(dmarc === 'FAIL' ? { dmarcPolicy: opts.dmarcPolicy ?? 'none' } : {}),
            action: {
              type: 'Lambda',
              functionArn: `arn:aws:lambda:${c.region}:${c.accountId}:function:${functionName}`,
              invocationType: opts.invocationType ?? 'Event',
            },
          },
        },
      },
    ],
  };
  return applyEventOverrides(event, opts.overrides, SesEventSchema, fn, rederive);
}
