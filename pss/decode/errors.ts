/** Input that cannot be read as kubectl would read it: said in one line, with where it is when known. */
export class DecodeError extends Error {
    constructor(
        readonly what: string,
        /** 1-based line in the file. */
        readonly line?: number,
        readonly column?: number,
        /** The document it is in, when it is about one. */
        readonly document?: number | string,
    ) {
        super(what);
    }

    /** `line 3, column 7: what` / `document 2 (line 14): what`. */
    where(): string {
        if (this.line !== undefined && this.column !== undefined) return `line ${this.line}, column ${this.column}: ${this.what}`;
        if (this.document !== undefined) return `document ${this.document}${this.line !== undefined ? ` (line ${this.line})` : ""}: ${this.what}`;
        return this.line !== undefined ? `line ${this.line}: ${this.what}` : this.what;
    }
}

/** A go-yaml decoding error in one document (goYaml.ts). */
export class GoYamlError extends Error {
    /** Offset in the document's text, when the error has a place. */
    constructor(message: string, readonly offset?: number) {
        super(message);
    }
}

/** A YAML syntax error in one document, where the `yaml` package found it. */
export interface YamlSyntaxProblem {
    message: string;
    /** 1-based, in the document's text. */
    line: number;
    column: number;
}
