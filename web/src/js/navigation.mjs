// navigation.mjs — move to another page without a page load. main.mjs
// registers the renderer; pages call navigate() (no import cycle).
let renderPage = () => {};

export function setRenderer(fn) {
    renderPage = fn;
}

export function navigate(href, { replaceState = false } = {}) {
    if (replaceState) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    return renderPage();
}
