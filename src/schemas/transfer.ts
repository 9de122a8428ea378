import { z } from 'zod';

/**
 * An AWS Transfer Family custom identity provider request. `password` is present for password
 * authentication and absent when the client authenticates with an SSH key.
 *
 * @example
 * TransferFamilyAuthorizerEventSchema.parse(transferFamilyAuthorizerEvent({ auth: 'public-key' }));
 */
export const TransferFamilyAuthorizerEventSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().optional(),
  protocol: z.enum(['SFTP', 'FTP', 'FTPS']),
  serverId: z.string().regex(/^s-[0-9a-f]{17}$/, 'expected a server id such as "s-01234567890abcdef"'),
  sourceIp: z.union([z.ipv4(), z.ipv6()]),
});
