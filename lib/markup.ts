/** Text made safe inside HTML or SVG (mail bodies, badges): every markup character as an entity. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
