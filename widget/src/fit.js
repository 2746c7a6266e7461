// Right-sizing the tip card (issue 18). The card reserves a height before its data arrives
// (widget.css), so nothing on the host page moves. When the tip arrives, its type is sized
// so that the card's natural height (its height without the reservation) comes as close
// to the reservation as it can without passing it: first the font size (a short tip is
// set larger, a long one smaller), then the line height, which takes up what a whole line
// more would not fit. All of it happens in one task, before the browser paints, so no
// frame shows an intermediate size.

/** Fits the tip `text` inside `card`, within the bounds widget.css gives. */
export function fitTip(card, text) {
  const style = getComputedStyle(text);
  const reserved = parseFloat(getComputedStyle(card).minHeight);
  card.style.minHeight = '0px';
  // The largest step from `low` to `high` at which the card still fits (else `low`);
  // heights grow with each step, so a binary search finds it in a handful of layouts.
  const largest = (low, high, apply) => {
    const fits = (step) => {
      apply(step);
      return card.getBoundingClientRect().height <= reserved;
    };
    let good = low;
    let bad = high + 1;
    if (fits(low)) {
      while (bad - good > 1) {
        const middle = (good + bad) >> 1;
        if (fits(middle)) good = middle;
        else bad = middle;
      }
    }
    apply(good);
  };
  const sizes = ['--fit-min', '--fit-max'].map((name) => 2 * parseFloat(style.getPropertyValue(name)));
  text.style.lineHeight = '';
  if (reserved > 0 && sizes[0] > 0) {
    largest(sizes[0], sizes[1], (half) => { text.style.fontSize = half / 2 + 'px'; });
    largest(145, 190, (percent) => { text.style.lineHeight = percent / 100; });
  }
  card.style.minHeight = '';
}
