import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { WireError } from '../protocol/error-catalogue.js';

/** What a verified access token lets its bearer do. */
export interface Grant {
  /** The `sub` claim: the bearer's nickname in every room. */
  readonly subject: string;
  /** The `rooms` claim: the ids or names of the rooms it may enter; absent: any room. */
  readonly rooms?: readonly string[];
  /** The `exp` claim in epoch milliseconds, when the token has one. */
  readonly expiresAt?: number;
}

/** How tokens are checked (from configuration). */
export interface TokenSettings {
  /** HS256 shared secret; empty: none. */
  readonly secret: string;
  /** PEM file of an RSA or EC (P-256) public key (SPKI): RS256 or ES256; empty: none. */
  readonly publicKeyFile: string;
  /** Leeway for `exp` and `nbf`, in milliseconds. */
  readonly clockSkewMs: number;
}

/**
 * Checks access tokens (JWT, with jose) against the one key configured, accepting exactly its
 * algorithm: HS256 for `--jwt-secret`, RS256 or ES256 for `--jwt-public-key` (from the key's
 * type). `alg: none`, another algorithm, a bad signature, a token expired or not yet valid
 * beyond the clock skew, or one without a `sub` are refused.
 */
export class TokenVerifier {
  private constructor(
    private readonly key: Uint8Array | KeyObject,
    readonly algorithm: 'HS256' | 'RS256' | 'ES256',
    readonly clockSkewMs: number,
  ) {}

  /** The verifier the settings ask for, or undefined when tokens are off. */
  static async fromSettings(settings: TokenSettings): Promise<TokenVerifier | undefined> {
    const { secret, publicKeyFile, clockSkewMs } = settings;
    if (secret !== '' && publicKeyFile !== '') {
      throw new Error('give --jwt-secret or --jwt-public-key, not both');
    }
    if (secret !== '') {
      return new TokenVerifier(new TextEncoder().encode(secret), 'HS256', clockSkewMs);
    }
    if (publicKeyFile === '') return undefined;
    const pem = await readFile(publicKeyFile, 'utf8');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: pem, format: 'pem' });
    } catch (error) {
      throw new Error(`--jwt-public-key ${publicKeyFile} is not a PEM public key`, {
        cause: error,
      });
    }
    const type = key.asymmetricKeyType;
    if (type === 'rsa') return new TokenVerifier(key, 'RS256', clockSkewMs);
    if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
      return new TokenVerifier(key, 'ES256', clockSkewMs);
    }
    throw new Error(`--jwt-public-key ${publicKeyFile}: only RSA and P-256 EC keys are supported`);
  }

  /**
   * The token's grant.
   * @throws WireError `token_expired`, or `invalid_token` for anything else wrong with it.
   */
  async verify(token: string): Promise<Grant> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [this.algorithm],
        clockTolerance: Math.floor(this.clockSkewMs / 1000),
      }));
    } catch (error) {
      throw refusal(error);
    }
    const { sub, rooms, exp } = payload;
    if (typeof sub !== 'string' || sub === '') {
      throw new WireError('invalid_token', 'the token has no "sub" claim (the nickname)');
    }
    if (rooms !== undefined && !isStringArray(rooms)) {
      throw new WireError('invalid_token', 'the token\'s "rooms" claim is not a list of rooms');
    }
    return {
      subject: sub,
      ...(rooms !== undefined && { rooms }),
      ...(exp !== undefined && { expiresAt: exp * 1000 }),
    };
  }

  /** Milliseconds from `now` until a connection holding the grant must be closed. */
  remainingMs(grant: Grant, now: number): number | undefined {
    if (grant.expiresAt === undefined) return undefined;
    return Math.max(0, grant.expiresAt + this.clockSkewMs - now);
  }
}

/** Whether the grant lets its bearer into the room (by id, or by name without regard to case). */
export function grantAdmits(
  grant: Grant,
  room: { readonly id: string; readonly name: string },
): boolean {
  if (grant.rooms === undefined) return true;
  const name = room.name.toLowerCase();
  return grant.rooms.some(
    (allowed) => (room.id !== '' && allowed === room.id) || allowed.toLowerCase() === name,
  );
}

/** The token of an `Authorization: Bearer` header, if it has one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

// What the client is told: never the token, only what is wrong with it.
function refusal(error: unknown): WireError {
  if (error instanceof errors.JWTExpired) {
    return new WireError('token_expired', 'the token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
    return new WireError('invalid_token', 'the token is not valid yet ("nbf")');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new WireError(
      'invalid_token',
      'the token is signed with an algorithm not accepted here',
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new WireError('invalid_token', "the token's signature does not verify");
  }
  if (error instanceof errors.JOSEError) {
    return new WireError('invalid_token', 'the token is not a valid JWT');
  }
  throw error;
}
