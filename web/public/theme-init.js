/* global document, matchMedia */
// Runs before first paint (plain script in <head>) so the page never flashes the wrong theme or
// direction. Keys and values must match src/features/preferences/preferences-storage.ts.
(function () {
  var root = document.documentElement;
  try {
    var theme = localStorage.getItem('ums.theme');
    var dark =
      theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    root.classList.toggle('dark', dark);
    root.style.colorScheme = dark ? 'dark' : 'light';
    var lang = localStorage.getItem('ums.language');
    if (lang === 'en' || lang === 'es' || lang === 'fr' || lang === 'ar') {
      root.lang = lang;
      root.dir = lang === 'ar' ? 'rtl' : 'ltr';
    }
  } catch {
    // Storage can be blocked (privacy modes); the defaults in index.html then apply.
  }
})();
