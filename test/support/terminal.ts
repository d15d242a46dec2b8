/**
 * What a terminal would act on instead of showing: C0 controls except the line feed that ends a
 * line, DEL, C1 controls, bidirectional controls and the Unicode line separators. Output meant for
 * people must contain none of these (the CLI shows them as escapes, cli/terminal-text.ts).
 */
export const RAW_TERMINAL_CONTROL =
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
