// Reading a small text file the user picks (the browser's file chooser, or Electron's native
// one through the same <input type=file>): the renderer only reads what the user chose.

/** The file the user picks, or null when they cancel. Call it from a click: pickers need the gesture. */
export function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.click();
  });
}

/** The chosen file's name and text, or null when the user cancels. Call it from a click: pickers need the gesture. */
export async function pickTextFile(accept: string, tooLarge: (bytes: number) => string | null): Promise<{ name: string; text: string } | null> {
  const file = await pickFile(accept);
  if (!file) return null;
  const problem = tooLarge(file.size);
  if (problem) throw new Error(`${file.name}: ${problem}`);
  return { name: file.name, text: await file.text() };
}
