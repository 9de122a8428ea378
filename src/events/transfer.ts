/**
 * AWS Transfer Family custom identity provider requests (a Lambda function as the server's
 * identity provider).
 */
import type { TransferFamilyAuthorizerEvent } from 'aws-lambda';
import { z } from 'zod';
import { TransferFamilyAuthorizerEventSchema } from '../schemas/transfer.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * Options of {@link transferFamilyAuthorizerEvent}.
 *
 * @example
 * const options: TransferFamilyAuthorizerEventOptions = { auth: 'public-key', username: 'alice', protocol: 'SFTP' };
 */
export interface TransferFamilyAuthorizerEventOptions extends CommonEventOptions {
  /** `password` (default) sends a `password`; `public-key` (SFTP key authentication) sends none. */
  auth?: 'password' | 'public-key';
  /** Default generated. */
  username?: string;
  /** Password auth only. Default generated. */
  password?: string;
  /** Default `SFTP`; key authentication exists for SFTP only. */
  protocol?: 'SFTP' | 'FTP' | 'FTPS';
  /** `s-` and 17 hex digits. Default generated. */
  serverId?: string;
  /** The client's address. Default a generated IPv4 address. */
  sourceIp?: string;
  overrides?: DeepPartial<TransferFamilyAuthorizerEvent>;
}

const optionsSchema = z
  .strictObject({
    ...commonOptionsShape,
    auth: z.enum(['password', 'public-key']).optional(),
    username: TransferFamilyAuthorizerEventSchema.shape.username.optional(),
    password: z.string().min(1).optional(),
    protocol: TransferFamilyAuthorizerEventSchema.shape.protocol.optional(),
    serverId: TransferFamilyAuthorizerEventSchema.shape.serverId.optional(),
    sourceIp: TransferFamilyAuthorizerEventSchema.shape.sourceIp.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.auth === 'public-key' && o.password !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'public-key authentication sends no password',
      });
    }
    if (o.auth === 'public-key' && o.protocol !== undefined && o.protocol !== 'SFTP') {
      ctx.addIssue({
        code: 'custom',
        path: ['protocol'],
        message: 'key authentication exists for SFTP only',
      });
    }
  });

/**
 * Generates the request Transfer Family sends to a Lambda identity provider when a user logs in:
 * `username`, `protocol`, `serverId`, `sourceIp`, and `password` unless the client authenticates
 * with an SSH key (then the function answers with `PublicKeys`).
 *
 * @example
 * const event = transferFamilyAuthorizerEvent({ username: 'alice', password: 'secret' });
 * const keyLogin = transferFamilyAuthorizerEvent({ auth: 'public-key' });
 * 'password' in keyLogin; // false
 */
export function transferFamilyAuthorizerEvent(
  options: TransferFamilyAuthorizerEventOptions = {},
): TransferFamilyAuthorizerEvent {
  const fn = 'transferFamilyAuthorizerEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('login');
  const username =
    opts.username ??
    (r.faker.internet
      .username()
      .replace(/[^\w.@-]/g, '')
      .slice(0, 32) ||
      'user');
  const password = r.alnum(16);
  const event: TransferFamilyAuthorizerEvent = {
    username,
    ...(opts.auth === 'public-key' ? {} : { password: opts.password ?? password }),
    protocol: opts.protocol ?? 'SFTP',
    serverId: opts.serverId ?? `s-${r.hex(17)}`,
    sourceIp: opts.sourceIp ?? r.ipv4(),
  };
  return applyEventOverrides(event, opts.overrides, TransferFamilyAuthorizerEventSchema, fn);
}
