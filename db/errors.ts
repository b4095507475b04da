/** A store problem the user can act on (bad path, changed migration, newer database): the message says which. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
