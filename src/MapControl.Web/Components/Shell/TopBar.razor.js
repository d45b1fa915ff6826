// The JS half of TopBar.razor: remembers the chosen language for the next visit.
export function setCookie(name, value) {
    document.cookie = `${encodeURIComponent(name)}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=strict`;
}
