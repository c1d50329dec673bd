// handout-store.mjs — the services staff ticked for a patient's handout,
// per board, kept for this browser tab only (sessionStorage): the next
// patient at the desk starts with an empty list once the tab is closed, and
// nothing about the patient is stored anywhere.

const key = (board) => `links.handout.${board}`;
const MAX_ITEMS = 12;

export function handoutItems(board) {
    try {
        const items = JSON.parse(sessionStorage.getItem(key(board)) ?? '[]');
        return Array.isArray(items) ? items : [];
    } catch {
        return [];
    }
}

function save(board, items) {
    sessionStorage.setItem(key(board), JSON.stringify(items));
    document.dispatchEvent(new CustomEvent('links:handout', { detail: { board, count: items.length } }));
}

export function inHandout(board, id) {
    return handoutItems(board).some((i) => i.id === id);
}

/** Add (true) or remove (false) a service; returns false when the list is full. */
export function setInHandout(board, item, wanted) {
    const items = handoutItems(board).filter((i) => i.id !== item.id);
    if (wanted) {
        if (items.length >= MAX_ITEMS) return false;
        items.push(item);
    }
    save(board, items);
    return true;
}

export function clearHandout(board) {
    save(board, []);
}

export const HANDOUT_MAX_ITEMS = MAX_ITEMS;
