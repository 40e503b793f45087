// What the commands' --help texts share: the table of options, aligned by construction, and
// the note on piping their JSON (npm prints its own header lines on stdout before it).

/** One line per option, its text aligned after the longest option of the table. */
export function optionLines(rows: readonly (readonly [option: string, text: string])[]): string {
  const width = Math.max(...rows.map(([option]) => option.length)) + 2;
  return rows.map(([option, text]) => `  ${option.padEnd(width)}${text}`).join('\n');
}

/** Where `npm run <script>` prints `what` (its JSON), and how to get that alone on stdout. */
export function pipeNote(script: string, what: string): string {
  return (
    `Prints ${what} on stdout, messages on stderr. \`npm run\` prints two header lines of its own\n` +
    `on stdout first: to pipe the JSON into another program, run \`npm run -s ${script} -- …\` (-s: silent).`
  );
}
