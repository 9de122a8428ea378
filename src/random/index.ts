/**
 * Seeded randomness for the event generators: the only module that imports faker.
 *
 * Every generator call builds its own {@link Random} from the caller's seed, so no random state is
 * shared between calls (call order, test order, workers and shards cannot change an event), and the
 * user's global `faker` instance is never touched: faker is used through a private instance whose
 * randomizer draws from a pure-rand stream owned by the call.
 */
import { base, en, Faker } from '@faker-js/faker';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** The seed used when a generator is called without `seed`. */
export const DEFAULT_SEED = 1337;

const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const INV_2_32 = 2 ** -32;
/** Scratch bytes for base64 output; filled and read synchronously within one call, never carried over. */
const SCRATCH = Buffer.alloc(516);
/** Two hex digits per byte value, for fast hex output. */
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Murmur3's 32-bit finaliser: spreads the bits of a 32-bit integer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable 32-bit hash of a label (FNV-1a), so `fork('records')` is the same on every machine. */
function hashLabel(label: string | number): number {
  if (typeof label === 'number') return fmix32((label | 0) ^ 0x9e3779b9);
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Normalises any finite number (negative, fractional, > 2^32) to a 32-bit seed. */
function normaliseSeed(seed: number): number {
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) | 0;
  return fmix32((seed >>> 0) ^ fmix32(hi ^ 0x5bd1e995));
}

/**
 * A deterministic random stream. Build one per generator call with {@link createRandom}; derive
 * independent sub-streams with {@link Random.fork} (for example one per record, so record 3 is the
 * same whether the batch has 4 or 40 records).
 *
 * @example
 * const rng = createRandom(42);
 * rng.uuid(); // the same UUID on every machine for seed 42
 * rng.fork(3).int(1, 6); // an independent stream for record 3
 */
export class Random {
  /** The 32-bit seed of this stream. */
  readonly seed: number;
  private readonly gen: ReturnType<typeof xoroshiro128plus>;
  private fakerInstance: Faker | undefined;

  constructor(seed: number) {
    this.seed = normaliseSeed(seed);
    this.gen = xoroshiro128plus(this.seed);
  }

  /** An unsigned 32-bit integer. */
  u32(): number {
    return this.gen.next() >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() * INV_2_32;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** `true` with probability `p`. */
  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.float() * alphabet.length)];
    return out;
  }

  /** Lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    let remaining = length;
    while (remaining >= 8) {
      const v = this.u32();
      out +=
        (BYTE_HEX[v >>> 24] as string) +
        BYTE_HEX[(v >>> 16) & 255] +
        BYTE_HEX[(v >>> 8) & 255] +
        BYTE_HEX[v & 255];
      remaining -= 8;
    }
    if (remaining > 0) {
      let v = this.u32();
      for (let k = 0; k < remaining; k++) {
        out += HEX[v & 15];
        v >>>= 4;
      }
    }
    return out;
  }

  /** Decimal digits; the first is never 0 when `noLeadingZero` is true. */
  digits(length: number, noLeadingZero = false): string {
    if (length <= 0) return '';
    const first = noLeadingZero ? String(this.int(1, 9)) : (DIGITS[this.int(0, 9)] as string);
    return first + this.chars(DIGITS, length - 1);
  }

  /** Mixed-case letters and digits. */
  alnum(length: number): string {
    return this.chars(ALNUM, length);
  }

  /** Uppercase letters and digits (IAM ids, request ids). */
  upperAlnum(length: number): string {
    return this.chars(UPPER_ALNUM, length);
  }

  /** Lowercase letters and digits (API ids, url ids). */
  lowerAlnum(length: number): string {
    return this.chars(LOWER_ALNUM, length);
  }

  /** Base64 alphabet characters (opaque handles and signatures), from random bytes. */
  base64Chars(length: number): string {
    const bytes = Math.ceil((length * 3) / 4);
    const buf = bytes + 3 <= SCRATCH.length ? SCRATCH : Buffer.allocUnsafe(bytes + 3);
    // Byte-wise stores keep the output independent of the platform's endianness.
    for (let i = 0; i < bytes; i += 4) {
      const v = this.u32();
      buf[i] = v & 255;
      buf[i + 1] = (v >>> 8) & 255;
      buf[i + 2] = (v >>> 16) & 255;
      buf[i + 3] = v >>> 24;
    }
    return buf.toString('base64', 0, bytes).slice(0, length);
  }

  /** A version-4 UUID, lowercase. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() & 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A private IPv4 or public-looking IPv4 address. */
  ipv4(): string {
    return `${this.int(1, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  /**
   * An independent stream derived from this stream's seed and a label. Forking does not advance
   * this stream, so adding a fork never changes other values.
   */
  fork(label: string | number): Random {
    return new Random(fmix32(this.seed ^ fmix32(hashLabel(label) + 0x27d4eb2f)));
  }

  /**
   * A private faker instance (English locale) driven by a fork of this stream. Built on first use,
   * never the user's global `faker`.
   */
  get faker(): Faker {
    if (this.fakerInstance === undefined) {
      const stream = this.fork('faker');
      this.fakerInstance = new Faker({
        locale: [en, base],
        randomizer: { next: () => stream.float(), seed: () => undefined },
      });
    }
    return this.fakerInstance;
  }
}

/**
 * Creates the random stream for one generator call.
 *
 * @example
 * const rng = createRandom(7);
 * const queue = rng.fork('event');
 * const firstRecord = rng.fork(0);
 */
export function createRandom(seed: number = DEFAULT_SEED): Random {
  return new Random(seed);
}

/** Short word lists for hot paths (building a faker instance per record would be too slow). */
export const WORDS = {
  nouns: [
    'order',
    'invoice',
    'payment',
    'customer',
    'shipment',
    'ticket',
    'account',
    'session',
    'cart',
    'report',
    'booking',
    'device',
  ],
  verbs: ['created', 'updated', 'deleted', 'shipped', 'paid', 'cancelled', 'approved', 'received'],
  adjectives: ['blue', 'quick', 'silent', 'bright', 'calm', 'brave', 'lucky', 'gentle', 'bold', 'swift'],
  statuses: ['PENDING', 'ACTIVE', 'COMPLETED', 'FAILED', 'ARCHIVED'],
  firstNames: ['Ada', 'Grace', 'Alan', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Guido'],
} as const;
