// Vite's `?raw` imports: a file's text as a string, read at build time. The renderer uses them
// for one thing: showing the engine's own source beside the graph (lib/howItWorks/engineSources.ts).
declare module '*?raw' {
  const text: string;
  export default text;
}
