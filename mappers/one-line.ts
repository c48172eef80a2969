/** Collapses whitespace (newlines included) and trims, so a value can never split a line of text into two; absent becomes empty. */
export function oneLine(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}
