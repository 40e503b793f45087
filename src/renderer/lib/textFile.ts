// Reading a small text file the user picks (the browser's file chooser, or Electron's native
// one through the same <input type=file>): the renderer only reads what the user chose.

/** The chosen file's name and text, or null when the user cancels. Call it from a click: pickers need the gesture. */
export function pickTextFile(accept: string, tooLarge: (bytes: number) => string | null): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.addEventListener(
      'change',
      () => {
        const file = input.files?.[0];
        if (!file) return resolve(null);
        const problem = tooLarge(file.size);
        if (problem) return reject(new Error(`${file.name}: ${problem}`));
        file.text().then((text) => resolve({ name: file.name, text }), reject);
      },
      { once: true },
    );
    input.click();
  });
}
