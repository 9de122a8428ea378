/**
 * AppSync direct Lambda resolvers: one field resolution (`Invoke`) or a batch (`BatchInvoke`), with
 * the caller's identity as each authorization mode shapes it.
 */
import type { AppSyncResolverEvent } from 'aws-lambda';
import { z } from 'zod';
import { jsonPayloadSchema } from '../errors/options.js';
import { type Random, WORDS } from '../random/index.js';
import { AppSyncBatchResolverEventSchema, AppSyncResolverEventSchema } from '../schemas/appsync.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  deepMerge,
  parseOptions,
  type ResolvedCommon,
  recordCount,
  resolveCommon,
  validateEvent,
} from './core.js';
import { traceId } from './http.js';

/**
 * The caller as an AppSync authorization mode presents it.
 *
 * @example
 * const auth: AppSyncAuthorization = { type: 'AMAZON_COGNITO_USER_POOLS', username: 'ada', groups: ['admin'] };
 */
export type AppSyncAuthorization =
  | { type: 'API_KEY' }
  | {
      type: 'AMAZON_COGNITO_USER_POOLS';
      username?: string;
      /** Extra token claims (merged over the generated ones). */
      claims?: Record<string, unknown>;
      groups?: string[] | null;
    }
  | { type: 'AWS_IAM'; roleName?: string }
  | { type: 'OPENID_CONNECT'; issuer?: string; claims?: Record<string, unknown> }
  | { type: 'AWS_LAMBDA'; resolverContext?: Record<string, unknown> };

/**
 * Options of {@link appSyncResolverEvent}.
 *
 * @example
 * const options: AppSyncResolverEventOptions = { typeName: 'Mutation', fieldName: 'createOrder', arguments: { qty: 2 }, selectionSet: ['id', 'items/sku'] };
 */
export interface AppSyncResolverEventOptions<TArguments = Record<string, unknown>>
  extends CommonEventOptions {
  /** `info.parentTypeName`. Default `Query`. */
  typeName?: string;
  /** `info.fieldName`. Default generated (`getOrder`). */
  fieldName?: string;
  /** The field's arguments. Default `{ id }`. */
  arguments?: TArguments;
  /** The parent object (`source`). Default null (a root field). */
  source?: Record<string, unknown> | null;
  /** Selected fields, nested ones as `parent/child`; `selectionSetGraphQL` is rendered from it. Default `['id', ...]`. */
  selectionSet?: string[];
  /** The operation's variables. Default `{}`. */
  variables?: Record<string, unknown>;
  /** Default Cognito user pools. */
  authorization?: AppSyncAuthorization;
  /** Extra request headers (lowercase names, as AppSync passes them). */
  headers?: Record<string, string>;
  /** A custom domain name the request came in on. Default null. */
  domainName?: string | null;
  /** Pipeline resolvers: the stash and the previous function's result. */
  stash?: Record<string, unknown>;
  prev?: { result: Record<string, unknown> } | null;
  overrides?: DeepPartial<AppSyncResolverEvent<TArguments>>;
}

/**
 * Options of {@link appSyncBatchResolverEvent}: those of a single resolution plus the sources.
 *
 * @example
 * const options: AppSyncBatchResolverEventOptions = { typeName: 'Post', fieldName: 'author', sources: [{ id: 'p-1' }, { id: 'p-2' }] };
 */
export interface AppSyncBatchResolverEventOptions<TArguments = Record<string, unknown>>
  extends Omit<AppSyncResolverEventOptions<TArguments>, 'source' | 'overrides'> {
  /** Items in the batch. Default one per source, else 2. */
  records?: number;
  /** One parent object per item. Default generated `{ id }` objects. */
  sources?: Record<string, unknown>[];
  /** Element `i` merges over item `i`. */
  overrides?: DeepPartial<AppSyncResolverEvent<TArguments>>[];
}

const nameRe = /^[_A-Za-z][_0-9A-Za-z]*$/;
const plainRecord = z.record(z.string(), jsonPayloadSchema);
const authorizationSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('API_KEY') }),
  z.strictObject({
    type: z.literal('AMAZON_COGNITO_USER_POOLS'),
    username: z.string().min(1).optional(),
    claims: plainRecord.optional(),
    groups: z.array(z.string()).nullable().optional(),
  }),
  z.strictObject({
    type: z.literal('AWS_IAM'),
    roleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name')
      .optional(),
  }),
  z.strictObject({
    type: z.literal('OPENID_CONNECT'),
    issuer: z.url().optional(),
    claims: plainRecord.optional(),
  }),
  z.strictObject({ type: z.literal('AWS_LAMBDA'), resolverContext: plainRecord.optional() }),
]);
const resolverShape = {
  ...commonOptionsShape,
  typeName: z.string().regex(nameRe, 'expected a GraphQL type name').optional(),
  fieldName: z.string().regex(nameRe, 'expected a GraphQL field name').optional(),
  arguments: plainRecord.optional(),
  selectionSet: z
    .array(
      z
        .string()
        .regex(/^[_A-Za-z][_0-9A-Za-z]*(\/[_A-Za-z][_0-9A-Za-z]*)*$/, 'expected "field" or "parent/child"'),
    )
    .optional(),
  variables: plainRecord.optional(),
  authorization: authorizationSchema.optional(),
  headers: z
    .record(z.string().regex(/^[a-z0-9-]+$/, 'expected a lowercase header name'), z.string())
    .optional(),
  domainName: z.string().min(1).nullable().optional(),
  stash: plainRecord.optional(),
  prev: z.strictObject({ result: plainRecord }).nullable().optional(),
};
const resolverOptionsSchema = z.strictObject({ ...resolverShape, source: plainRecord.nullable().optional() });
const batchOptionsSchema = z.strictObject({
  ...resolverShape,
  records: z.number().int().min(1).max(2000).optional(),
  sources: z.array(plainRecord).max(2000).optional(),
  overrides: z.array(z.custom<object>((v) => typeof v === 'object' && v !== null)).optional(),
});

/**
 * The `selectionSetList` and `selectionSetGraphQL` AppSync sends for a list of selected fields
 * (nested ones as `parent/child`; implied parents are added).
 *
 * @example
 * appSyncSelectionSet(['id', 'items/sku']); // { list: ['id', 'items', 'items/sku'], graphql: '{\n  id\n  items {\n    sku\n  }\n}' }
 */
export function appSyncSelectionSet(fields: readonly string[]): { list: string[]; graphql: string } {
  const list: string[] = [];
  for (const field of fields) {
    const parts = field.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      if (!list.includes(path)) list.push(path);
    }
  }
  const render = (prefix: string, depth: number): string => {
    const children = list.filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'));
    const pad = '  '.repeat(depth);
    return children
      .map((p) => {
        const name = p.slice(prefix.length);
        const nested = list.some((q) => q.startsWith(`${p}/`));
        return nested ? `${pad}${name} {\n${render(`${p}/`, depth + 1)}\n${pad}}` : `${pad}${name}`;
      })
      .join('\n');
  };
  return { list, graphql: list.length === 0 ? '' : `{\n${render('', 1)}\n}` };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function identityFor(
  auth: AppSyncAuthorization,
  c: ResolvedCommon,
  r: Random,
  sourceIp: string,
): { identity: AppSyncResolverEvent<unknown>['identity']; header: [string, string] } {
  const token = `eyJraWQiOiJ${r.base64Chars(40).replace(/[+/]/g, 'x')}.${r.base64Chars(120).replace(/[+/]/g, 'x')}`;
  const iat = Math.floor(c.time / 1000) - r.int(60, 3000);
  switch (auth.type) {
    case 'API_KEY':
      return { identity: null, header: ['x-api-key', `da2-${r.lowerAlnum(26)}`] };
    case 'AWS_IAM': {
      const role = auth.roleName ?? `${r.pick(WORDS.nouns)}-client-role`;
      const session = r.lowerAlnum(12);
      return {
        identity: {
          accountId: c.accountId,
          cognitoIdentityPoolId: null,
          cognitoIdentityId: null,
          sourceIp: [sourceIp],
          username: `AROA${r.upperAlnum(17)}:${session}`,
          userArn: `arn:aws:sts::${c.accountId}:assumed-role/${role}/${session}`,
          cognitoIdentityAuthType: null,
          cognitoIdentityAuthProvider: null,
        } as never,
        header: [
          'authorization',
          `AWS4-HMAC-SHA256 Credential=ASIA${r.upperAlnum(16)}/${new Date(c.time).toISOString().slice(0, 10).replaceAll('-', '')}/${c.region}/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=${r.hex(64)}`,
        ],
      };
    }
    case 'OPENID_CONNECT': {
      const sub = r.uuid();
      const issuer = auth.issuer ?? `https://auth.${r.pick(WORDS.nouns)}.example.com/`;
      return {
        identity: {
          claims: { sub, iss: issuer, aud: r.lowerAlnum(26), iat, exp: iat + 3600, ...(auth.claims ?? {}) },
          issuer,
          sub,
        },
        header: ['authorization', token],
      };
    }
    case 'AWS_LAMBDA':
      return {
        identity: { resolverContext: auth.resolverContext ?? { userId: `user-${r.int(1, 9999)}` } },
        header: ['authorization', `custom-${r.lowerAlnum(16)}`],
      };
    default: {
      const sub = r.uuid();
      const username = auth.username ?? r.pick(WORDS.firstNames).toLowerCase();
      const issuer = `https://cognito-idp.${c.region}.amazonaws.com/${c.region}_${r.alnum(9)}`;
      return {
        identity: {
          sub,
          issuer,
          username,
          claims: {
            sub,
            iss: issuer,
            'cognito:username': username,
            aud: r.lowerAlnum(26),
            event_id: r.uuid(),
            token_use: 'id',
            auth_time: iat,
            exp: iat + 3600,
            iat,
            email: `${username}@example.com`,
            email_verified: true,
            ...(auth.claims ?? {}),
          },
          sourceIp: [sourceIp],
          defaultAuthStrategy: 'ALLOW',
          groups: auth.groups ?? null,
        },
        header: ['authorization', token],
      };
    }
  }
}

type ResolverOpts = Omit<AppSyncResolverEventOptions, 'overrides'>;

/** The parts of a resolver event shared by every item of a batch (request, identity, info). */
function resolverBase(opts: ResolverOpts): {
  c: ResolvedCommon;
  shared: Omit<AppSyncResolverEvent<Record<string, unknown>>, 'source'>;
} {
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const noun = r.pick(WORDS.nouns);
  const typeName = opts.typeName ?? 'Query';
  const fieldName = opts.fieldName ?? `${typeName === 'Mutation' ? 'create' : 'get'}${capitalise(noun)}`;
  const apiId = r.lowerAlnum(26);
  const sourceIp = r.ipv4();
  const { identity, header } = identityFor(
    opts.authorization ?? { type: 'AMAZON_COGNITO_USER_POOLS' },
    c,
    r,
    sourceIp,
  );
  const selection = appSyncSelectionSet(opts.selectionSet ?? ['id', noun, 'updatedAt']);
  const headers: Record<string, string> = {
    accept: 'application/json, text/plain, */*',
    'content-type': 'application/json',
    host: opts.domainName ?? `${apiId}.appsync-api.${c.region}.amazonaws.com`,
    'user-agent': `aws-amplify/6.${r.int(0, 9)}.${r.int(0, 9)} api/1 framework/0`,
    'x-amzn-trace-id': traceId(r, c.time),
    'x-forwarded-for': sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    [header[0]]: header[1],
    ...(opts.headers ?? {}),
  };
  return {
    c,
    shared: {
      arguments: opts.arguments ?? { id: `${noun}-${r.int(1, 9999)}` },
      identity,
      request: { headers, domainName: opts.domainName ?? null },
      info: {
        selectionSetList: selection.list,
        selectionSetGraphQL: selection.graphql,
        parentTypeName: typeName,
        fieldName,
        variables: opts.variables ?? {},
      },
      prev: opts.prev ?? null,
      stash: opts.stash ?? {},
    },
  };
}

/**
 * Generates an AppSync direct Lambda resolver event: `arguments`, `identity` shaped by the
 * authorization mode (null for API keys), `source` (null for a root field), the request headers
 * (host from the API id and region, the credential header of the mode), `info` with
 * `selectionSetGraphQL` rendered from `selectionSetList`, `prev` and `stash`.
 *
 * @example
 * const event = appSyncResolverEvent({ typeName: 'Query', fieldName: 'getOrder', arguments: { id: 'o-1' }, selectionSet: ['id', 'items/sku'] });
 * event.info.selectionSetGraphQL; // '{\n  id\n  items {\n    sku\n  }\n}'
 */
export function appSyncResolverEvent<TArguments = Record<string, unknown>>(
  options: AppSyncResolverEventOptions<TArguments> = {},
): AppSyncResolverEvent<TArguments> {
  const fn = 'appSyncResolverEvent';
  const opts = parseOptions(resolverOptionsSchema, options as object, fn) as AppSyncResolverEventOptions;
  const { shared } = resolverBase(opts);
  const event = { ...shared, source: opts.source ?? null } as AppSyncResolverEvent<Record<string, unknown>>;
  // Key order as AppSync sends it: source after identity.
  const ordered = {
    arguments: event.arguments,
    identity: event.identity,
    source: event.source,
    request: event.request,
    prev: event.prev,
    info: event.info,
    stash: event.stash,
  };
  return applyEventOverrides(ordered, opts.overrides as never, AppSyncResolverEventSchema, fn) as never;
}

/**
 * Generates an AppSync batch invoke: an array of resolver events sharing the request, identity and
 * `info`, one per parent object in `sources` (the N+1 case batching exists for). `overrides[i]`
 * merges over item `i`. Return an array of results in the same order (one per item).
 *
 * @example
 * const batch = appSyncBatchResolverEvent({ typeName: 'Post', fieldName: 'author', sources: [{ id: 'p-1', authorId: 'a-1' }, { id: 'p-2', authorId: 'a-2' }] });
 * batch.map((item) => item.source?.authorId); // ['a-1', 'a-2']
 */
export function appSyncBatchResolverEvent<TArguments = Record<string, unknown>>(
  options: AppSyncBatchResolverEventOptions<TArguments> = {},
): AppSyncResolverEvent<TArguments>[] {
  const fn = 'appSyncBatchResolverEvent';
  const opts = parseOptions(batchOptionsSchema, options as object, fn) as AppSyncBatchResolverEventOptions;
  const { records, sources, overrides, ...rest } = opts;
  const { c, shared } = resolverBase({ typeName: 'Post', fieldName: 'author', ...rest });
  const n = recordCount(fn, records, sources?.length ?? 2, overrides ? { Records: overrides } : undefined);
  const items = Array.from({ length: n }, (_, i) => {
    const r = c.rng.fork(i);
    const source = sources?.[i] ?? { id: `${r.pick(WORDS.nouns)}-${r.int(1, 9999)}` };
    return {
      arguments: structuredClone(shared.arguments),
      identity: structuredClone(shared.identity),
      source,
      request: structuredClone(shared.request),
      prev: structuredClone(shared.prev),
      info: structuredClone(shared.info),
      stash: structuredClone(shared.stash),
    };
  });
  if (!overrides) return items as never;
  const merged = items.map((item, i) => (i < overrides.length ? deepMerge(item, overrides[i]) : item));
  validateEvent(AppSyncBatchResolverEventSchema, merged, fn);
  return merged as never;
}
