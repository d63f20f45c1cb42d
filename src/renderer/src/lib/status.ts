/** What the status line shows: a kind (its colour and spinner) and one line of text. */
export interface Status {
  readonly kind: 'info' | 'error' | 'busy';
  readonly text: string;
}
