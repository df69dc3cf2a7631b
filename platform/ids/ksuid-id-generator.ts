import KSUID from 'ksuid';
import type { IdGenerator } from '../../business/ports/id-generator.js';

/** Ids as KSUIDs: 27 base62 characters, time-sortable, as Chatty's room ids are. */
export class KsuidIdGenerator implements IdGenerator {
  next(): string {
    return KSUID.randomSync().string;
  }
}
