// Right-sizing the tip card (issue 18). The card reserves a fixed height before its data
// arrives (widget.css), so nothing on the host page moves. When the tip arrives, its type
// size is chosen so that the card's natural height (its height without the reservation)
// is as close to the reservation as it can be without passing it: a short tip is set
// larger, a long one smaller, and the card is never a large empty box. All of it happens
// in one task, before the browser paints, so no frame shows an intermediate size.

/** Fits the tip `text` inside `card`, between the sizes widget.css allows. */
export function fitTip(card, text) {
  const style = getComputedStyle(text);
  const low = parseFloat(style.getPropertyValue('--fit-min'));
  const high = parseFloat(style.getPropertyValue('--fit-max'));
  const reserved = parseFloat(getComputedStyle(card).minHeight);
  if (!(low > 0 && high >= low && reserved > 0)) return;
  card.style.minHeight = '0px';
  // Whether the card's natural height fits its reservation with the tip at this size.
  const fitsAt = (halfPixels) => {
    text.style.fontSize = halfPixels / 2 + 'px';
    return card.getBoundingClientRect().height <= reserved;
  };
  // The largest size, in half pixels, that fits (else the smallest); heights grow with
  // the size, so a binary search finds it in a handful of layouts.
  let fits = low * 2;
  let tooBig = high * 2 + 1;
  if (fitsAt(fits)) {
    while (tooBig - fits > 1) {
      const middle = (fits + tooBig) >> 1;
      if (fitsAt(middle)) fits = middle;
      else tooBig = middle;
    }
  }
  fitsAt(fits);
  card.style.minHeight = '';
}
