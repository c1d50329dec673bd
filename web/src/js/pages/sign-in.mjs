// sign-in.mjs — /{board}/sign-in for a board's staff and /sign-in for
// system administrators. A session that ended elsewhere brings people here
// with the reason shown and takes them back to where they were.
import { apiSend, boards } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { safeNext, setSession, takeFlash } from '../session.mjs';
import { boardFor, errorSummary, flashBanner } from './common.mjs';

const LABELS = { username: { label: 'Username' }, password: { label: 'Password' } };

function signInForm(board, values, errors, onSubmit) {
    return h('form', { method: 'post', novalidate: true, onsubmit: onSubmit },
        formGroup('username', 'Username', null,
                  textInput('username', { value: values.username ?? '', error: errors.username, autocomplete: 'username',
                                          spellcheck: 'false', autocapitalize: 'none', width: 20 }), errors.username),
        formGroup('password', 'Password', null,
                  textInput('password', { type: 'password', error: errors.password, autocomplete: 'current-password', width: 20 }),
                  errors.password),
        h('button', { class: 'nhsuk-button', type: 'submit' }, 'Sign in'));
}

export async function renderSignIn(boardKey, params) {
    let board = null;
    if (boardKey !== null) {
        const found = await boardFor(boardKey);
        if (found.page) return found.page;
        board = found.board;
    }
    const next = safeNext(params.get('next'), board ? `/${board.slug}/` : '/');
    const flash = takeFlash();
    const root = h('div', {});

    const show = (values, errors, summary) => {
        replace(root,
            summary ? errorSummary(summary) : flash ? flashBanner(flash) : null,
            board
                ? [h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, board.name, h('span', { class: 'nhsuk-u-visually-hidden' }, ' – ')), 'Sign in'),
                   signInForm(board, values, errors, submit),
                   h('p', {}, 'Forgotten your password, or locked out? Ask your board administrator.')]
                // No board chosen yet: staff choose theirs; the form below
                // is for the deployment's system administrators only.
                : [h('h1', {}, 'Sign in'),
                   h('p', {}, 'Choose your health board:'),
                   h('ul', {}, allBoards.map((b) => h('li', {}, h('a', { href: `/${b.slug}/sign-in${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}` }, `Sign in to ${b.name}`)))),
                   h('h2', {}, 'System administrators'),
                   h('p', {}, 'The team that runs Community Links for all boards signs in here.'),
                   signInForm(board, values, errors, submit)]);
        if (summary) {
            document.title = `Error: Sign in – Community Links`;
            root.querySelector('.nhsuk-error-summary').focus();
        }
    };

    async function submit(event) {
        event.preventDefault();
        const values = formValues(event.target);
        const errors = {};
        if (!values.username.trim()) errors.username = 'Enter your username';
        if (!values.password) errors.password = 'Enter your password';
        if (Object.keys(errors).length) {
            show(values, errors, Object.entries(errors).map(([id, text]) => ({ href: `#${id}`, text })));
            return;
        }
        const button = event.target.querySelector('button');
        button.disabled = true;
        let r;
        try {
            r = await apiSend('POST', board ? `/boards/${board.slug}/session` : '/session',
                              { username: values.username.trim(), password: values.password });
        } catch (err) {
            show({ username: values.username }, {}, [{ href: null, text: err.message }]);
            return;
        }
        if (r.ok) {
            setSession(r.body);
            navigate(r.body.staff.must_change_password ? `/account/password?next=${encodeURIComponent(next)}` : next,
                     { replaceState: true });
            return;
        }
        const { errors: fieldErrors, summary } = problemErrors(r.body, LABELS);
        show({ username: values.username }, fieldErrors, summary);
    }

    const list = board ? null : await boards();
    const allBoards = list?.ok ? list.body.boards : [];
    show({}, {}, null);
    return { title: 'Sign in', board, content: root };
}
