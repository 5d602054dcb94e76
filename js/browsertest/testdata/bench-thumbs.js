// The thumbnails benchmark's page body (bench-thumbs-*.html): showThumbnails(urlOf) shows 50
// thumbnails with the URLs urlOf gives for their keys (<dir>/00.jpg … <dir>/49.jpg, dir from
// the page's ?dir=, default thumbs), and records when every one has loaded
// (window.allLoadedMs, ms after navigation start) and how many broke (window.broken).
window.showThumbnails = (urlOf) => {
  const count = 50;
  const dir = new URLSearchParams(location.search).get('dir') ?? 'thumbs';
  let pending = count;
  window.broken = 0;
  const done = (ok) => {
    if (!ok) window.broken++;
    if (--pending > 0) return;
    window.allLoadedMs = performance.now();
    window.ready = true;
  };
  for (let i = 0; i < count; i++) {
    const img = new Image(48, 48);
    img.onload = () => done(true);
    img.onerror = () => done(false);
    img.src = urlOf(`${dir}/${String(i).padStart(2, '0')}.jpg`);
    document.body.append(img);
  }
};
