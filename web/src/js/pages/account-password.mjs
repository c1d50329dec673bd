// account-password.mjs — /account/password: choose a new password (needed
// after an administrator set one, possible at any time).
import { apiSend } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { safeNext, session, setFlash, setSession } from '../session.mjs';
import { errorSummary, requireSignIn } from './common.mjs';

const LABELS = { current_password: { label: 'Current password' }, new_password: { label: 'New password' } };

export async function renderPassword(params) {
    const me = session();
    if (!me) return requireSignIn(null);
    const next = safeNext(params.get('next'), me.board ? `/${me.board.slug}/` : '/');
    const root = h('div', {});
    const show = (errors, summary) => {
        replace(root,
            summary ? errorSummary(summary) : null,
            h('h1', {}, 'Choose a new password'),
            me.staff.must_change_password
                ? h('div', { class: 'nhsuk-inset-text' }, h('p', {}, 'Your password was set by an administrator. Choose your own before going on.'))
                : null,
            h('form', { method: 'post', novalidate: true, onsubmit: submit },
                // For password managers: whose password this is.
                h('input', { type: 'text', name: 'username', autocomplete: 'username', value: me.staff.username, hidden: true, readonly: true }),
                formGroup('current_password', me.staff.must_change_password ? 'Temporary password' : 'Current password',
                          me.staff.must_change_password ? 'The password your administrator gave you' : null,
                          textInput('current_password', { type: 'password', autocomplete: 'current-password', width: 20,
                                                          hint: me.staff.must_change_password, error: errors.current_password }),
                          errors.current_password),
                formGroup('new_password', 'New password', 'At least 12 characters. A few unrelated words together make a strong password that is easy to remember.',
                          textInput('new_password', { type: 'password', autocomplete: 'new-password', width: 20, hint: true, error: errors.new_password }),
                          errors.new_password),
                formGroup('confirm_password', 'New password again', null,
                          textInput('confirm_password', { type: 'password', autocomplete: 'new-password', width: 20, error: errors.confirm_password }),
                          errors.confirm_password),
                h('button', { class: 'nhsuk-button', type: 'submit' }, 'Change password')));
        if (summary) {
            document.title = 'Error: Choose a new password – Community Links';
            root.querySelector('.nhsuk-error-summary').focus();
        }
    };

    async function submit(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const errors = {};
        if (!v.current_password) errors.current_password = 'Enter your current password';
        if (v.new_password.length < 12) errors.new_password = 'New password must be at least 12 characters long';
        else if (v.new_password !== v.confirm_password) errors.confirm_password = 'The two new passwords are different';
        if (Object.keys(errors).length) {
            show(errors, Object.entries(errors).map(([id, text]) => ({ href: `#${id}`, text })));
            return;
        }
        const r = await apiSend('POST', '/session/password', { current_password: v.current_password, new_password: v.new_password },
                                { staff: true });
        if (r.ok) {
            setSession(r.body);
            setFlash('success', 'Your password has been changed.');
            navigate(next, { replaceState: true });
            return;
        }
        if (r.status === 401) return;       // signed out meanwhile: main.mjs takes over
        const { errors: fieldErrors, summary } = problemErrors(r.body, LABELS);
        show(fieldErrors, summary);
    }

    show({}, null);
    return { title: 'Choose a new password', board: me.board, content: root };
}
