// handout.mjs — the patient's one-page list of the services staff ticked:
// printed (print stylesheet) or copied as text into a letter or an SMS.
import { h, hidden } from '../dom.mjs';
import { addressText, costText, handoutText, openingText, reachText, shortDescription } from '../format.mjs';
import { clearHandout, handoutItems, setInHandout } from '../handout-store.mjs';
import { navigate } from '../navigation.mjs';
import { backLink, boardFor } from './common.mjs';

function serviceBlock(board, item) {
    const address = item.area === 'local' ? addressText(item.location) : reachText(item, board.name);
    const opening = openingText(item.schedules);
    const remove = h('button', { class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small links-no-print', type: 'button' },
        'Remove', hidden(` ${item.name}`));
    remove.addEventListener('click', () => {
        setInHandout(board.slug, item, false);
        navigate(`/${board.slug}/handout`, { replaceState: true });
    });
    return h('li', { class: 'links-handout__service' },
        h('h2', { class: 'nhsuk-heading-s nhsuk-u-margin-bottom-1' }, item.name),
        h('p', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-1' }, shortDescription(item.description, 160)),
        address ? h('p', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-1' }, h('strong', {}, 'Where: '), address) : null,
        opening ? h('p', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-1' }, h('strong', {}, 'When: '), opening) : null,
        h('p', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-1' },
            item.phone ? [h('strong', {}, 'Phone: '), item.phone, '  '] : null,
            item.url ? [h('strong', {}, 'Web: '), item.url.replace(/^https?:\/\//, ''), '  '] : null,
            h('strong', {}, 'Cost: '), costText(item)),
        remove);
}

export async function renderHandout(boardKey) {
    const { board, page } = await boardFor(boardKey);
    if (page) return page;
    const items = handoutItems(board.slug);
    const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    if (items.length === 0) {
        return {
            board, title: `Handout – ${board.name}`,
            content: h('div', { class: 'links-handout' },
                backLink(`/${board.slug}/`, 'Back to search'),
                h('h1', {}, 'Handout for the patient'),
                h('p', {}, 'No services have been added yet. Tick "Add to handout" beside a search result to add it.'),
                h('p', {}, h('a', { href: `/${board.slug}/` }, 'Search the directory'))),
        };
    }
    const text = handoutText(items, board.name);
    const textArea = h('textarea', { class: 'nhsuk-textarea', id: 'handout-text', rows: Math.min(20, text.split('\n').length + 1), readonly: true,
                                     'aria-describedby': 'handout-text-hint' }, text);
    const copied = h('p', { class: 'nhsuk-body-s', role: 'status' });
    const copy = h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'button' }, 'Copy as text');
    copy.addEventListener('click', async () => {
        try {
            await navigator.clipboard.writeText(text);
            copied.textContent = 'Copied. Paste it into a letter or a text message.';
        } catch {
            textArea.select();
            copied.textContent = 'Select the text below and copy it (Ctrl+C).';
        }
    });
    const print = h('button', { class: 'nhsuk-button', type: 'button' }, 'Print');
    print.addEventListener('click', () => window.print());
    const clear = h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'button' }, 'Clear the handout');
    clear.addEventListener('click', () => {
        clearHandout(board.slug);
        navigate(`/${board.slug}/handout`, { replaceState: true });
    });
    return {
        board, title: `Handout – ${board.name}`,
        content: h('div', { class: 'links-handout' },
            backLink(`/${board.slug}/`, 'Back to search'),
            h('h1', {}, 'Community resources for you'),
            h('p', { class: 'nhsuk-body-s' }, `From your GP practice, ${today}. These services are run by local organisations, not the NHS (${board.name}).`),
            h('ul', { class: 'nhsuk-list' }, items.map((item) => serviceBlock(board, item))),
            h('div', { class: 'links-no-print' },
                h('div', { class: 'nhsuk-button-group' }, print, copy, clear),
                copied,
                h('div', { class: 'nhsuk-form-group' },
                    h('label', { class: 'nhsuk-label', for: 'handout-text' }, 'The handout as text'),
                    h('div', { class: 'nhsuk-hint', id: 'handout-text-hint' }, 'For a letter or a text message.'),
                    textArea))),
    };
}
