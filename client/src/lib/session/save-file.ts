/** Saves a downloaded file under the name the server gave it, as the browser's own download. */
export function saveFile(file: { blob: Blob; name: string }): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(file.blob);
  link.download = file.name;
  link.click();
  URL.revokeObjectURL(link.href);
}
