// signpost.mjs — the front desk's record that a patient was given
// information: one click on a search result (or "Told about the links
// worker"), then "Recorded" with a way to take it back if it was a slip.
// No patient details are asked for or kept.
import { apiSend } from './api.mjs';
import { h, hidden, replace } from './dom.mjs';
import { can } from './session.mjs';

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/**
 * A control recording a signpost for `subject` ({ service_id } or
 * { links_worker: true }); `label` is the button's text, `about` what it is
 * about for screen readers. Null for staff who may not signpost.
 */
export function signpostControl(board, subject, label, about) {
    if (!can('signpost.create')) return null;
    const area = h('div', { class: 'links-signpost links-no-print' });
    const status = h('p', { class: 'links-signpost__status nhsuk-body-s nhsuk-u-margin-bottom-0', role: 'status' });

    const showButton = (message = '') => {
        const button = h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-1' },
            label, hidden(`: ${about}`));
        button.addEventListener('click', async () => {
            button.disabled = true;
            const r = await apiSend('POST', `/boards/${board.slug}/signposts`, subject, { staff: true }).catch(() => null);
            if (r?.status === 201) showRecorded(r.body);
            else showButton(r?.body?.detail ?? 'It could not be recorded. Try again.');
        });
        status.textContent = message;
        status.classList.remove('nhsuk-u-visually-hidden');
        replace(area, button, status);
    };

    const showRecorded = (signpost) => {
        const undo = h('button', { type: 'button', class: 'links-link-button' }, 'Undo', hidden(`: ${about}`));
        undo.addEventListener('click', async () => {
            undo.disabled = true;
            const r = await apiSend('POST', `/boards/${board.slug}/signposts/${signpost.id}/withdraw`, undefined, { staff: true }).catch(() => null);
            if (r?.status === 200) showButton('Taken back: not counted.');
            else {
                undo.disabled = false;
                status.textContent = r?.body?.detail ?? 'It could not be taken back. Try again.';
                status.classList.remove('nhsuk-u-visually-hidden');
            }
        });
        status.textContent = '';
        replace(area,
            h('p', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-1' },
                h('strong', { class: 'nhsuk-tag nhsuk-tag--green' }, 'Recorded'),
                ` Information given at ${timeFormat.format(new Date(signpost.at))}. `, undo),
            status);
        // said to screen readers; the tag says it on screen
        status.textContent = `Recorded: information given about ${about}.`;
        status.classList.add('nhsuk-u-visually-hidden');
    };

    showButton();
    return area;
}
