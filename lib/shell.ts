/** A word for a shell command line the user copies: as it is when plain, single-quoted otherwise. */
export function shellQuote(word: string): string {
    return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
