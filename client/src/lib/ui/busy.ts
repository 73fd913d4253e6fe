/**
 * `use:busy={waiting}` on a button whose request is in flight: it says so (aria-busy, and a bar
 * moving along its bottom edge drawn by app.css) and ignores presses until the answer, but
 * keeps looking pressable and keeps its focus. A disabled button would look as if it could not
 * be used at all, and a keyboard user's focus would fall out of the form.
 */
export function busy(node: HTMLButtonElement, waiting: boolean) {
  let holding = waiting;
  // Capturing on the button itself runs before Svelte's delegated handlers and a form's submit.
  const hold = (event: Event) => {
    if (!holding) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const show = () => {
    for (const name of ['aria-busy', 'aria-disabled']) {
      if (holding) node.setAttribute(name, 'true');
      else node.removeAttribute(name);
    }
  };
  node.addEventListener('click', hold, { capture: true });
  show();
  return {
    update(next: boolean) {
      holding = next;
      show();
    },
    destroy() {
      node.removeEventListener('click', hold, { capture: true });
    },
  };
}
